#pragma once

#include "core/client/range_client.h"
#include "ui/ranges/range_list_model.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QToolButton;
class QTreeView;

namespace sightline::ui {

/// The ranges dock: every range of the cluster (RangeListModel, newest first, children
/// nested) with a text filter and a label filter, and the actions on the selected range.
/// Double-click or Enter opens a range; Delete asks to delete it. It shows what it is given
/// (setRanges, from a RangeFollower) and asks for the rest through its signals.
/// GUI thread only.
class RangesPanel : public QWidget
{
    Q_OBJECT

public:
    explicit RangesPanel(QWidget* parent = nullptr);

    void setRanges(const std::vector<core::client::LabelledRange>& ranges,
        const std::vector<core::Label>& labels);
    /// The run being marked (its duration shows as still recording).
    void setOpenRun(std::optional<QUuid> key);
    /// "following live", "read every 5 s" or a read error.
    void setStatus(const QString& text, bool problem = false);
    void setTimeZone(const QTimeZone& zone) { m_model->setTimeZone(zone); }

    [[nodiscard]] const core::client::LabelledRange* selected() const;
    /// Selects the range with this key (when listed and not filtered out).
    void select(const QUuid& key);
    [[nodiscard]] const std::vector<core::Label>& labels() const { return m_labels; }
    /// The range after (+1) or before (−1) `key` in time, for stepping; nullopt at the ends.
    [[nodiscard]] std::optional<core::client::LabelledRange> neighbour(const QUuid& key,
        int direction) const;

    [[nodiscard]] RangeListModel* model() const { return m_model; }
    [[nodiscard]] RangeFilterModel* filter() const { return m_filter; }
    [[nodiscard]] QTreeView* view() const { return m_view; }
    [[nodiscard]] QLineEdit* filterEdit() const { return m_filterEdit; }
    [[nodiscard]] QComboBox* labelFilter() const { return m_labelFilter; }
    /// The CSV… button (exports the selected range).
    [[nodiscard]] QToolButton* exportButton() const { return m_export; }

Q_SIGNALS:
    void openRequested(const sightline::core::client::LabelledRange& range);
    void createRequested();
    void editRequested(const sightline::core::client::LabelledRange& range);
    void deleteRequested(const sightline::core::client::LabelledRange& range);
    void compareRequested(const std::vector<sightline::core::client::LabelledRange>& ranges);
    void exportRequested(const sightline::core::client::LabelledRange& range);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void updateButtons();
    [[nodiscard]] std::vector<core::client::LabelledRange> selectedRanges() const;

    RangeListModel* m_model = nullptr;
    RangeFilterModel* m_filter = nullptr;
    QTreeView* m_view = nullptr;
    QLineEdit* m_filterEdit = nullptr;
    QComboBox* m_labelFilter = nullptr;
    QToolButton* m_open = nullptr;
    QToolButton* m_edit = nullptr;
    QToolButton* m_delete = nullptr;
    QToolButton* m_compare = nullptr;
    QToolButton* m_export = nullptr;
    QLabel* m_status = nullptr;
    std::vector<core::Label> m_labels;
};

} // namespace sightline::ui
