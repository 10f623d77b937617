#pragma once

#include "ui/plot/plot_layout.h"

#include <QDialog>

#include <optional>

class QComboBox;
class QLineEdit;
class QPushButton;

namespace sightline::ui {

/// A small dialog to add or edit a limit line: value, label, colour, style, which side is
/// beyond it, and its axis. GUI thread only.
class LimitLineDialog : public QDialog
{
    Q_OBJECT

public:
    /// `axisNames[i]` names axis i; only those listed can be chosen.
    LimitLineDialog(const LimitLine& initial, const QStringList& axisNames, QWidget* parent);

    /// The limit as entered, or nullopt while the value is not a number.
    [[nodiscard]] std::optional<LimitLine> limit() const;

    /// Runs the dialog; nullopt when cancelled.
    static std::optional<LimitLine> edit(
        QWidget* parent, const LimitLine& initial, const QStringList& axisNames);

private:
    void pickColor();
    void updateColorButton();

    QLineEdit* m_value = nullptr;
    QLineEdit* m_label = nullptr;
    QPushButton* m_color = nullptr;
    QComboBox* m_style = nullptr;
    QComboBox* m_kind = nullptr;
    QComboBox* m_axis = nullptr;
    QColor m_chosen;
    QPushButton* m_ok = nullptr;
};

} // namespace sightline::ui
