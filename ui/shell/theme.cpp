#include "ui/shell/theme.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>

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

    void useStyle(const QString& name)
    {
        if (QApplication::style()->name().compare(name, Qt::CaseInsensitive) != 0)
            QApplication::setStyle(name); // resets the palette: set it afterwards
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
        useStyle(u"Fusion"_s);
        QApplication::setPalette(QApplication::style()->standardPalette());
        break;
    case PaletteChoice::Dark:
        // Fusion draws check boxes, frames and disabled states from the palette, so every
        // widget follows the dark colours.
        useStyle(u"Fusion"_s);
        QApplication::setPalette(darkPalette());
        break;
    }
}

} // namespace sightline::ui
