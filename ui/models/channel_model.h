#pragma once

#include "core/telem/channel.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QStringList>

#include <map>
#include <set>
#include <vector>

namespace sightline::ui {

/// The cluster's channels as a table: name (checkable: plotted or not), data type, kind and
/// the sample rate once it is known (Synnax channels carry no rate; it is measured live).
/// Rows can be dragged onto plots (MIME type `application/x-sightline-channels`, the keys as
/// text). GUI thread only.
class ChannelModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name = 0, Type, Kind, Rate, ColumnCount };
    static constexpr const char* MimeType = "application/x-sightline-channels";
    /// The channel's key, for any column.
    static constexpr int KeyRole = Qt::UserRole + 1;

    explicit ChannelModel(QObject* parent = nullptr);

    /// Lists `channels`, leaving out the cluster's internal ones (its change signals,
    /// Synnax's node channels), as the Synnax Console does.
    void setChannels(std::vector<core::Channel> channels);
    [[nodiscard]] const std::vector<core::Channel>& channels() const { return m_channels; }
    [[nodiscard]] const core::Channel* find(core::ChannelKey key) const;
    /// The channel named `name` (names are unique on a cluster); null when there is none.
    [[nodiscard]] const core::Channel* findByName(const QString& name) const;
    /// The sample rate measured for a channel (shown once known; 0 forgets it).
    void setRate(core::ChannelKey key, double hertz);
    /// Which channels show as checked (plotted in the current plot).
    void setChecked(const std::set<core::ChannelKey>& keys);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QVariant headerData(
        int section, Qt::Orientation orientation, int role) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    [[nodiscard]] QStringList mimeTypes() const override;
    [[nodiscard]] QMimeData* mimeData(const QModelIndexList& indexes) const override;

    /// Keys carried by a drag from this model (empty when the data is something else).
    [[nodiscard]] static std::vector<core::ChannelKey> keysFromMime(const QMimeData* mime);

Q_SIGNALS:
    /// The user ticked or unticked a channel.
    void checkToggled(sightline::core::ChannelKey key, bool checked);

private:
    std::vector<core::Channel> m_channels;
    std::set<core::ChannelKey> m_checked;
    std::map<core::ChannelKey, double> m_rates;
};

/// Filter-as-you-type over a ChannelModel: every whitespace-separated token must appear
/// (case-insensitively) in the channel's name or data type. Sorted by name.
class ChannelFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit ChannelFilterModel(QObject* parent = nullptr);
    void setFilterText(const QString& text);

protected:
    [[nodiscard]] bool filterAcceptsRow(int sourceRow,
        const QModelIndex& sourceParent) const override;

private:
    QStringList m_tokens;
};

} // namespace sightline::ui
