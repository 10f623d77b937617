#pragma once

#include "ui/ranges/range_editor.h"

#include <QDialog>
#include <QTimeZone>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTableWidget;

namespace sightline::ui {

/// One small dialog to create or edit a range: name, colour, start and end, labels (the
/// cluster's, ticked, plus new ones by name) and key-value metadata in a two-column table.
/// It only gathers a RangeEdit; RangeEditor sends it. GUI thread only.
class RangeDialog : public QDialog
{
    Q_OBJECT

public:
    /// `ranges`: those it can be part of (itself is left out).
    RangeDialog(const RangeEdit& initial,
        const std::vector<core::Label>& labels,
        const QTimeZone& zone,
        const std::vector<core::Range>& ranges = {},
        QWidget* parent = nullptr);

    /// The edit as the user left it.
    [[nodiscard]] RangeEdit edit() const;
    [[nodiscard]] QLineEdit* nameEdit() const { return m_name; }
    [[nodiscard]] QListWidget* labelList() const { return m_labels; }
    [[nodiscard]] QLineEdit* newLabelsEdit() const { return m_newLabels; }
    [[nodiscard]] QTableWidget* metadataTable() const { return m_pairs; }
    [[nodiscard]] QComboBox* partOf() const { return m_partOf; }

    void accept() override;

private:
    void chooseColor();
    void showColor();

    RangeEdit m_initial;
    QTimeZone m_zone;
    QLineEdit* m_name = nullptr;
    QPushButton* m_colorButton = nullptr;
    std::optional<core::Color> m_color;
    QDateTimeEdit* m_start = nullptr;
    QDateTimeEdit* m_end = nullptr;
    QComboBox* m_partOf = nullptr;
    QListWidget* m_labels = nullptr;
    QLineEdit* m_newLabels = nullptr;
    QTableWidget* m_pairs = nullptr;
    QLabel* m_problem = nullptr;
};

} // namespace sightline::ui
