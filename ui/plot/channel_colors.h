#pragma once

#include <QColor>
#include <QHash>
#include <QObject>
#include <QString>

#include <vector>

class QSettings;

namespace sightline::ui {

/// One colour per channel for the whole app: a channel keeps the colour it was first given
/// in every plot (live and history) and across restarts, unless the user picks another.
/// New channels get the least-used colour of a 16-colour palette that reads on light and dark
/// backgrounds. GUI thread only.
class ChannelColors : public QObject
{
    Q_OBJECT

public:
    /// The palette new channels draw from, in order.
    static const std::vector<QColor>& palette();

    explicit ChannelColors(QObject* parent = nullptr);

    /// The channel's colour, assigning one the first time a name is asked for.
    QColor colorFor(const QString& channel);
    /// The user's choice for a channel (kept until changed).
    void setColor(const QString& channel, const QColor& color);
    [[nodiscard]] bool hasColor(const QString& channel) const;
    /// Forgets every assignment.
    void clear();

    /// Reads and writes the assignments (`channels/colors`: channel name → #rrggbb).
    void load(QSettings& settings);
    void save(QSettings& settings) const;

Q_SIGNALS:
    void colorChanged(const QString& channel, const QColor& color);

private:
    [[nodiscard]] QColor leastUsed() const;

    QHash<QString, QColor> m_colors;
};

/// A channel's colour: from `colors` when there is one, else the palette's `index`-th colour.
[[nodiscard]] QColor channelColor(ChannelColors* colors, const QString& channel, std::size_t index);

} // namespace sightline::ui
