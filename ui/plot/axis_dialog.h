#pragma once

#include "ui/plot/plot_layout.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QLineEdit;
class QPushButton;

namespace sightline::ui {

/// A small dialog for one Y axis: its label (empty: the channels' names) and either
/// autoscale or a typed minimum and maximum. GUI thread only.
class AxisDialog : public QDialog
{
    Q_OBJECT

public:
    /// `current` fills the range fields when the axis autoscales.
    AxisDialog(const AxisSettings& initial,
        const QString& defaultLabel,
        std::pair<double, double> current,
        QWidget* parent);

    /// The settings as entered; nullopt while the range is not two numbers with min < max.
    [[nodiscard]] std::optional<AxisSettings> settings() const;

    static std::optional<AxisSettings> edit(QWidget* parent,
        const AxisSettings& initial,
        const QString& defaultLabel,
        std::pair<double, double> current);

private:
    QLineEdit* m_label = nullptr;
    QCheckBox* m_auto = nullptr;
    QLineEdit* m_min = nullptr;
    QLineEdit* m_max = nullptr;
    QPushButton* m_ok = nullptr;
};

} // namespace sightline::ui
