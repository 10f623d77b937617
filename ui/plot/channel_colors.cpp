#include "ui/plot/channel_colors.h"

#include <QSettings>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace sightline::ui {

const std::vector<QColor>& ChannelColors::palette()
{
    // Checked in tst_channel_colors: every pair at least 15 ΔE (CIE76) apart, and every colour
    // at least 2:1 contrast against both the light and the dark plot background.
    static const std::vector<QColor> colors { QColor(0x1f77b4),
        QColor(0xd62728),
        QColor(0x2ca02c),
        QColor(0xff7f0e),
        QColor(0x9467bd),
        QColor(0x17becf),
        QColor(0xe377c2),
        QColor(0xbcbd22),
        QColor(0x8c564b),
        QColor(0xd4a000),
        QColor(0x5b6ee1),
        QColor(0xb3446c),
        QColor(0x00a88f),
        QColor(0xe25822),
        QColor(0x6a7f00),
        QColor(0xc47fff) };
    return colors;
}

ChannelColors::ChannelColors(QObject* parent)
    : QObject(parent)
{
}

QColor ChannelColors::colorFor(const QString& channel)
{
    if (const auto found = m_colors.constFind(channel); found != m_colors.constEnd())
        return *found;
    const QColor color = leastUsed();
    m_colors.insert(channel, color);
    return color;
}

void ChannelColors::setColor(const QString& channel, const QColor& color)
{
    if (!color.isValid() || m_colors.value(channel) == color)
        return;
    m_colors.insert(channel, color);
    Q_EMIT colorChanged(channel, color);
}

bool ChannelColors::hasColor(const QString& channel) const { return m_colors.contains(channel); }

void ChannelColors::clear() { m_colors.clear(); }

QColor ChannelColors::leastUsed() const
{
    const std::vector<QColor>& colors = palette();
    std::vector<int> uses(colors.size(), 0);
    for (const QColor& used : m_colors) {
        const auto at = std::find(colors.begin(), colors.end(), used);
        if (at != colors.end())
            ++uses[static_cast<std::size_t>(at - colors.begin())];
    }
    const auto fewest = std::min_element(uses.begin(), uses.end());
    return colors[static_cast<std::size_t>(fewest - uses.begin())];
}

void ChannelColors::load(QSettings& settings)
{
    // A map value, not one key per channel: channel names may hold characters QSettings
    // treats as group separators.
    const QVariantMap saved = settings.value(u"channels/colors"_s).toMap();
    for (auto it = saved.constBegin(); it != saved.constEnd(); ++it) {
        const QColor color = QColor::fromString(it.value().toString());
        if (color.isValid())
            m_colors.insert(it.key(), color);
    }
}

void ChannelColors::save(QSettings& settings) const
{
    QVariantMap saved;
    for (auto it = m_colors.constBegin(); it != m_colors.constEnd(); ++it)
        saved.insert(it.key(), it.value().name());
    settings.setValue(u"channels/colors"_s, saved);
}

QColor channelColor(ChannelColors* colors, const QString& channel, std::size_t index)
{
    if (colors != nullptr)
        return colors->colorFor(channel);
    const std::vector<QColor>& palette = ChannelColors::palette();
    return palette[index % palette.size()];
}

} // namespace sightline::ui
