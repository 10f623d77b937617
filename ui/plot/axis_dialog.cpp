#include "ui/plot/axis_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>

#include <cmath>

using namespace Qt::StringLiterals;

namespace sightline::ui {

namespace {
    std::optional<double> number(const QLineEdit* edit)
    {
        bool ok = false;
        double value = QLocale().toDouble(edit->text().trimmed(), &ok);
        if (!ok)
            value = edit->text().trimmed().toDouble(&ok);
        return ok && std::isfinite(value) ? std::optional(value) : std::nullopt;
    }
} // namespace

AxisDialog::AxisDialog(const AxisSettings& initial,
    const QString& defaultLabel,
    std::pair<double, double> current,
    QWidget* parent)
    : QDialog(parent)
    , m_label(new QLineEdit(initial.label, this))
    , m_auto(new QCheckBox(tr("Autoscale to the visible samples"), this))
    , m_min(new QLineEdit(this))
    , m_max(new QLineEdit(this))
{
    setWindowTitle(tr("Y axis"));
    m_label->setPlaceholderText(defaultLabel);
    m_label->setObjectName(u"axisLabel"_s);
    m_min->setObjectName(u"axisMin"_s);
    m_max->setObjectName(u"axisMax"_s);
    const auto range = initial.range.value_or(current);
    m_min->setText(QString::number(range.first, 'g', 8));
    m_max->setText(QString::number(range.second, 'g', 8));
    m_auto->setChecked(!initial.range);
    const auto sync = [this] {
        m_min->setEnabled(!m_auto->isChecked());
        m_max->setEnabled(!m_auto->isChecked());
        m_ok->setEnabled(settings().has_value());
    };
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_auto, &QCheckBox::toggled, this, sync);
    connect(m_min, &QLineEdit::textChanged, this, sync);
    connect(m_max, &QLineEdit::textChanged, this, sync);
    auto* form = new QFormLayout(this);
    form->addRow(tr("Label"), m_label);
    form->addRow(m_auto);
    form->addRow(tr("Minimum"), m_min);
    form->addRow(tr("Maximum"), m_max);
    form->addRow(buttons);
    sync();
}

std::optional<AxisSettings> AxisDialog::settings() const
{
    AxisSettings settings;
    settings.label = m_label->text().trimmed();
    if (m_auto->isChecked())
        return settings;
    const auto low = number(m_min);
    const auto high = number(m_max);
    if (!low || !high || !(*low < *high))
        return std::nullopt;
    settings.range = std::pair { *low, *high };
    return settings;
}

std::optional<AxisSettings> AxisDialog::edit(QWidget* parent,
    const AxisSettings& initial,
    const QString& defaultLabel,
    std::pair<double, double> current)
{
    AxisDialog dialog(initial, defaultLabel, current, parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.settings();
}

} // namespace sightline::ui
