#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QTreeView;

namespace sightline::ui {

class ChannelModel;
class ChannelFilterModel;

/// Search the cluster's channels and tick (or drag) them onto a plot. GUI thread only.
class ChannelPicker : public QWidget
{
    Q_OBJECT

public:
    explicit ChannelPicker(ChannelModel& model, QWidget* parent = nullptr);

    [[nodiscard]] QLineEdit* filterEdit() const { return m_filter; }
    [[nodiscard]] QTreeView* view() const { return m_view; }
    [[nodiscard]] ChannelFilterModel* filterModel() const { return m_proxy; }

private:
    void updateCount();

    ChannelModel& m_model;
    ChannelFilterModel* m_proxy = nullptr;
    QLineEdit* m_filter = nullptr;
    QTreeView* m_view = nullptr;
    QLabel* m_count = nullptr;
};

} // namespace sightline::ui
