#include "ui/ranges/range_editor.h"

#include "core/client/connection.h"
#include "core/client/label_client.h"

#include <QDateTime>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace sightline::ui {

namespace {

    core::ResourceId resourceOf(const QUuid& range)
    {
        return core::ResourceId { u"range"_s, range.toString(QUuid::WithoutBraces) };
    }

} // namespace

RangeEditor::RangeEditor(std::shared_ptr<core::client::Connection> connection)
    : m_connection(std::move(connection))
{
}

core::Result<core::Range> RangeEditor::apply(const RangeEdit& edit)
{
    if (edit.name.trimmed().isEmpty())
        return core::fail(core::errors::Validation, u"a range needs a name"_s);
    if (edit.timeRange.end < edit.timeRange.start)
        return core::fail(core::errors::Validation, u"a range cannot end before it starts"_s);
    core::client::RangeClient ranges(*m_connection);
    core::client::LabelClient labels(*m_connection);
    core::Range range;
    range.key = edit.key;
    range.name = edit.name.trimmed();
    range.timeRange = edit.timeRange;
    range.color = edit.color;
    // Synnax moves a range only when a parent is given; without one it stays where it is.
    const bool moved = !edit.key.isNull() && edit.parent != edit.parentBefore;
    const std::optional<QUuid> placeUnder = edit.key.isNull() || moved ? edit.parent : std::nullopt;
    auto stored = ranges.create({ range }, placeUnder);
    if (!stored)
        return tl::unexpected(stored.error());
    const core::Range saved = stored->front();
    if (moved && !edit.parent && edit.parentBefore)
        if (auto out = ranges.removeFromParent(saved.key, *edit.parentBefore); !out)
            return tl::unexpected(out.error());

    std::vector<QUuid> wanted = edit.labels;
    std::vector<core::Label> fresh;
    for (const QString& name : edit.newLabels)
        if (!name.trimmed().isEmpty())
            fresh.push_back(core::Label { {}, name.trimmed(), core::Color { 120, 120, 120, 1 } });
    if (!fresh.empty()) {
        auto created = labels.create(fresh);
        if (!created)
            return tl::unexpected(created.error());
        for (const core::Label& label : *created)
            wanted.push_back(label.key);
    }
    if (!edit.key.isNull() || !wanted.empty())
        if (auto set = labels.attach(resourceOf(saved.key), wanted, true); !set)
            return tl::unexpected(set.error());

    auto before = edit.key.isNull() ? core::Result<std::vector<core::RangePair>>()
                                    : ranges.pairs(saved.key);
    if (!before)
        return tl::unexpected(before.error());
    QStringList gone;
    for (const core::RangePair& pair : *before)
        if (std::none_of(edit.pairs.begin(), edit.pairs.end(), [&](const core::RangePair& kept) {
                return kept.key == pair.key;
            }))
            gone.append(pair.key);
    if (!gone.isEmpty())
        if (auto removed = ranges.removePairs(saved.key, gone); !removed)
            return tl::unexpected(removed.error());
    if (!edit.pairs.empty())
        if (auto set = ranges.setPairs(saved.key, edit.pairs); !set)
            return tl::unexpected(set.error());
    return saved;
}

core::Result<RangeEdit> RangeEditor::editOf(const core::client::LabelledRange& labelled)
{
    core::client::RangeClient ranges(*m_connection);
    auto pairs = ranges.pairs(labelled.range.key);
    if (!pairs)
        return tl::unexpected(pairs.error());
    RangeEdit edit;
    edit.key = labelled.range.key;
    edit.name = labelled.range.name;
    edit.timeRange = labelled.range.timeRange;
    edit.color = labelled.range.color;
    for (const core::Label& label : labelled.labels)
        edit.labels.push_back(label.key);
    edit.pairs = std::move(*pairs);
    edit.parent = labelled.range.parent;
    edit.parentBefore = labelled.range.parent;
    return edit;
}

core::Result<void> RangeEditor::remove(const QUuid& key)
{
    return core::client::RangeClient(*m_connection).remove(std::vector { key });
}

RunMarker::RunMarker(std::shared_ptr<core::client::Connection> connection)
    : m_connection(std::move(connection))
{
}

core::Result<core::Range> RunMarker::start(core::TimeStamp now, const QString& name)
{
    if (m_open)
        return core::fail(core::errors::Validation,
            u"the run '%1' is still open: end it first"_s.arg(m_open->name));
    core::Range range;
    range.name = name.trimmed().isEmpty()
        ? u"Run %1"_s.arg(now.toDateTime().toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s))
        : name.trimmed();
    range.timeRange = core::TimeRange { now, now };
    range.color = core::Color { 255, 152, 0, 1 };
    auto created = core::client::RangeClient(*m_connection).create({ range });
    if (!created)
        return tl::unexpected(created.error());
    m_open = created->front();
    return *m_open;
}

core::Result<core::Range> RunMarker::extend(core::TimeStamp now)
{
    if (!m_open)
        return core::fail(core::errors::Validation, u"no run is open"_s);
    core::Range grown = *m_open;
    grown.timeRange.end = std::max(now, grown.timeRange.start);
    auto stored = core::client::RangeClient(*m_connection).create({ grown });
    if (!stored)
        return tl::unexpected(stored.error());
    m_open = stored->front();
    return *m_open;
}

core::Result<core::Range> RunMarker::end(core::TimeStamp now)
{
    auto closed = extend(now);
    if (closed)
        m_open.reset();
    return closed;
}

} // namespace sightline::ui
