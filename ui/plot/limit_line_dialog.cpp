#include "ui/plot/limit_line_dialog.h"

#include <QColorDialog>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>

#include <cmath>

using namespace Qt::StringLiterals;

namespace sightline::ui {

LimitLineDialog::LimitLineDialog(
    const LimitLine& initial, const QStringList& axisNames, QWidget* parent)
    : QDialog(parent)
    , m_value(new QLineEdit(QString::number(initial.value, 'g', 10), this))
    , m_label(new QLineEdit(initial.label, this))
    , m_color(new QPushButton(this))
    , m_style(new QComboBox(this))
    , m_kind(new QComboBox(this))
    , m_axis(new QComboBox(this))
    , m_chosen(initial.color)
{
    setWindowTitle(tr("Limit line"));
    m_value->setObjectName(u"limitValue"_s);
    m_label->setObjectName(u"limitLabel"_s);
    m_label->setPlaceholderText(tr("the value"));
    m_style->addItem(tr("Dashed"), static_cast<int>(Qt::DashLine));
    m_style->addItem(tr("Solid"), static_cast<int>(Qt::SolidLine));
    m_style->addItem(tr("Dotted"), static_cast<int>(Qt::DotLine));
    m_style->setCurrentIndex(std::max(0, m_style->findData(static_cast<int>(initial.style))));
    m_kind->addItem(tr("Above the line (upper limit)"), 0);
    m_kind->addItem(tr("Below the line (lower limit)"), 1);
    m_kind->setCurrentIndex(initial.kind == LimitLine::Kind::Upper ? 0 : 1);
    for (int i = 0; i < axisNames.size() && i < MaxYAxes; ++i)
        m_axis->addItem(axisNames[i], i);
    m_axis->setCurrentIndex(std::max(0, m_axis->findData(initial.axis)));
    updateColorButton();
    connect(m_color, &QPushButton::clicked, this, &LimitLineDialog::pickColor);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_value, &QLineEdit::textChanged, this, [this] {
        m_ok->setEnabled(limit().has_value());
    });
    auto* form = new QFormLayout(this);
    form->addRow(tr("Value"), m_value);
    form->addRow(tr("Label"), m_label);
    form->addRow(tr("Warn when the trace is"), m_kind);
    form->addRow(tr("Axis"), m_axis);
    form->addRow(tr("Colour"), m_color);
    form->addRow(tr("Style"), m_style);
    form->addRow(buttons);
}

std::optional<LimitLine> LimitLineDialog::limit() const
{
    const QString text = m_value->text().trimmed();
    bool ok = false;
    double value = QLocale().toDouble(text, &ok);
    if (!ok)
        value = text.toDouble(&ok); // "1.5" also where the locale writes "1,5"
    if (!ok || !std::isfinite(value))
        return std::nullopt;
    LimitLine limit;
    limit.value = value;
    limit.label = m_label->text().trimmed();
    limit.color = m_chosen;
    limit.style = static_cast<Qt::PenStyle>(m_style->currentData().toInt());
    limit.kind
        = m_kind->currentData().toInt() == 0 ? LimitLine::Kind::Upper : LimitLine::Kind::Lower;
    limit.axis = m_axis->currentData().toInt();
    return limit;
}

void LimitLineDialog::pickColor()
{
    const QColor picked = QColorDialog::getColor(m_chosen, this, tr("Limit line colour"));
    if (picked.isValid()) {
        m_chosen = picked;
        updateColorButton();
    }
}

void LimitLineDialog::updateColorButton()
{
    m_color->setText(m_chosen.isValid() ? m_chosen.name() : tr("Theme colour"));
}

std::optional<LimitLine> LimitLineDialog::edit(
    QWidget* parent, const LimitLine& initial, const QStringList& axisNames)
{
    LimitLineDialog dialog(initial, axisNames, parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.limit();
}

} // namespace sightline::ui
