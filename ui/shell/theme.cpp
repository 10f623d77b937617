#include "ui/shell/theme.h"

#include <QApplication>
#include <QProxyStyle>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleOption>

#include <optional>

using namespace Qt::StringLiterals;

namespace sightline::ui {

namespace {

    struct SystemTheme
    {
        QPalette palette;
        QString style;
    };

    std::optional<SystemTheme>& remembered()
    {
        static std::optional<SystemTheme> theme;
        return theme;
    }

    /// Fusion, except that check box and radio outlines stay visible on a dark palette
    /// (Fusion draws them in the window colour darkened, which vanishes on a dark base).
    class ReadableFusion : public QProxyStyle
    {
    public:
        ReadableFusion()
            : QProxyStyle(QStyleFactory::create(u"Fusion"_s))
        {
            setObjectName(u"sightline-fusion"_s);
        }

        void drawPrimitive(PrimitiveElement element,
            const QStyleOption* option,
            QPainter* painter,
            const QWidget* widget) const override
        {
            const bool indicator = element == PE_IndicatorCheckBox
                || element == PE_IndicatorItemViewItemCheck || element == PE_IndicatorRadioButton;
            if (!indicator || option->palette.color(QPalette::Base).lightness() >= 128) {
                QProxyStyle::drawPrimitive(element, option, painter, widget);
                return;
            }
            // The outline is derived from Window: a light one gives a visible outline.
            const auto readable = [](QStyleOption& copy) {
                copy.palette.setColor(QPalette::Window, QColor(175, 175, 182));
            };
            if (const auto* item = qstyleoption_cast<const QStyleOptionViewItem*>(option)) {
                QStyleOptionViewItem copy(*item);
                readable(copy);
                QProxyStyle::drawPrimitive(element, &copy, painter, widget);
            } else if (const auto* button = qstyleoption_cast<const QStyleOptionButton*>(option)) {
                QStyleOptionButton copy(*button);
                readable(copy);
                QProxyStyle::drawPrimitive(element, &copy, painter, widget);
            } else {
                QStyleOption copy(*option);
                readable(copy);
                QProxyStyle::drawPrimitive(element, &copy, painter, widget);
            }
        }
    };

    void useStyle(const QString& name)
    {
        if (QApplication::style()->objectName().compare(name, Qt::CaseInsensitive) == 0)
            return;
        // Setting a style resets the palette: callers set it afterwards.
        if (name == u"sightline-fusion"_s)
            QApplication::setStyle(new ReadableFusion());
        else
            QApplication::setStyle(name);
    }

} // namespace

void rememberSystemTheme()
{
    if (!remembered())
        remembered() = SystemTheme { QApplication::palette(), QApplication::style()->name() };
}

bool systemThemeIsDark()
{
    rememberSystemTheme();
    return remembered()->palette.color(QPalette::Window).lightness() < 128;
}

QPalette darkPalette()
{
    QPalette palette;
    const QColor text(222, 222, 226);
    const QColor dimText(120, 120, 128);
    palette.setColor(QPalette::Window, QColor(37, 37, 40));
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, QColor(28, 28, 30));
    palette.setColor(QPalette::AlternateBase, QColor(45, 45, 48));
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, QColor(52, 52, 57));
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::BrightText, QColor(255, 120, 120));
    palette.setColor(QPalette::PlaceholderText, QColor(150, 150, 158));
    palette.setColor(QPalette::Light, QColor(78, 78, 84));
    palette.setColor(QPalette::Midlight, QColor(62, 62, 67));
    palette.setColor(QPalette::Mid, QColor(44, 44, 48));
    palette.setColor(QPalette::Dark, QColor(22, 22, 24));
    palette.setColor(QPalette::Shadow, QColor(10, 10, 10));
    palette.setColor(QPalette::Highlight, QColor(42, 130, 218));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::Link, QColor(100, 170, 255));
    palette.setColor(QPalette::LinkVisited, QColor(170, 140, 255));
    palette.setColor(QPalette::ToolTipBase, QColor(50, 50, 55));
    palette.setColor(QPalette::ToolTipText, text);
    // Disabled widgets must look disabled: dim text, flat buttons.
    for (const QPalette::ColorRole role :
        { QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::PlaceholderText })
        palette.setColor(QPalette::Disabled, role, dimText);
    palette.setColor(QPalette::Disabled, QPalette::Button, QColor(42, 42, 46));
    palette.setColor(QPalette::Disabled, QPalette::Base, QColor(34, 34, 37));
    palette.setColor(QPalette::Disabled, QPalette::Highlight, QColor(70, 70, 76));
    palette.setColor(QPalette::Disabled, QPalette::HighlightedText, dimText);
    return palette;
}

void applyApplicationPalette(PaletteChoice choice)
{
    rememberSystemTheme();
    switch (choice) {
    case PaletteChoice::System:
        useStyle(remembered()->style);
        QApplication::setPalette(remembered()->palette);
        break;
    case PaletteChoice::Light:
        useStyle(u"sightline-fusion"_s);
        QApplication::setPalette(QApplication::style()->standardPalette());
        break;
    case PaletteChoice::Dark:
        // Fusion draws check boxes, frames and disabled states from the palette, so every
        // widget follows the dark colours.
        useStyle(u"sightline-fusion"_s);
        QApplication::setPalette(darkPalette());
        break;
    }
}

} // namespace sightline::ui
