#include "core/feed/csv_export.h"

#include "core/client/iterator.h"

#include <QSaveFile>

#include <charconv>
#include <deque>
#include <limits>
#include <map>
#include <set>

using namespace Qt::StringLiterals;

namespace sightline::core::feed {

namespace {

    /// One channel's samples read but not yet written.
    struct Pending
    {
        Channel channel;
        std::deque<std::pair<std::int64_t, double>> samples;
        bool exhausted = false;
    };

    QByteArray csvField(const QString& text)
    {
        if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n'))
            return text.toUtf8();
        QString quoted = text;
        quoted.replace(u"\""_s, u"\"\""_s);
        return '"' + quoted.toUtf8() + '"';
    }

    void appendNumber(QByteArray& line, double value)
    {
        char buffer[32];
        const auto written = std::to_chars(buffer, buffer + sizeof buffer, value);
        line.append(buffer, written.ptr - buffer);
    }

    /// Writes every row with a timestamp at or before `horizon`; returns rows written.
    std::size_t writeRows(std::vector<Pending>& channels, std::int64_t horizon, QIODevice& out)
    {
        std::size_t rows = 0;
        QByteArray line;
        while (true) {
            std::int64_t next = std::numeric_limits<std::int64_t>::max();
            for (const Pending& p : channels)
                if (!p.samples.empty())
                    next = std::min(next, p.samples.front().first);
            if (next == std::numeric_limits<std::int64_t>::max() || next > horizon)
                return rows;
            line.clear();
            line.append(QByteArray::number(static_cast<qlonglong>(next)));
            line.append(',');
            line.append(TimeStamp(next).toFixedIsoString().toLatin1());
            for (Pending& p : channels) {
                line.append(',');
                if (!p.samples.empty() && p.samples.front().first == next) {
                    appendNumber(line, p.samples.front().second);
                    p.samples.pop_front();
                }
            }
            line.append('\n');
            out.write(line);
            ++rows;
        }
    }

} // namespace

Result<std::size_t> exportCsv(client::Connection& connection,
    const CsvExport& request,
    QIODevice& out,
    const std::function<bool(double)>& keepGoing)
{
    if (!out.isWritable())
        return fail(u"sightline.export"_s, u"the CSV destination is not writable"_s);
    std::vector<Pending> channels;
    std::set<ChannelKey> keys;
    for (const Channel& channel : request.channels) {
        if (channel.isVirtual || channel.isIndex || channel.index == 0)
            continue;
        channels.push_back({ channel, {}, false });
        keys.insert(channel.key);
        keys.insert(channel.index);
    }
    if (channels.empty())
        return fail(errors::Validation, u"choose at least one recorded data channel to export"_s);
    std::vector<client::ChannelRef> refs(keys.begin(), keys.end());
    auto iterator = client::Iterator::open(connection,
        { .bounds = request.range,
            .channels = refs,
            .chunkSize = request.chunkSize,
            .downsampleFactor = 1 });
    if (!iterator)
        return tl::unexpected(iterator.error());

    QByteArray header = "time_ns,time";
    for (const Pending& p : channels)
        header += ',' + csvField(p.channel.name);
    header += '\n';
    if (out.write(header) != header.size())
        return fail(u"sightline.export"_s,
            u"cannot write the CSV file: %1"_s.arg(out.errorString()));

    std::size_t rows = 0;
    auto more = (*iterator)->seekFirst();
    while (more && *more) {
        more = (*iterator)->next();
        if (!more)
            break;
        const Frame& frame = (*iterator)->value();
        for (Pending& p : channels) {
            std::size_t got = 0;
            for (const Series* values : frame.seriesOf(p.channel.key)) {
                const Series* stamps = frame.timestampsFor(p.channel.index, *values);
                if (stamps == nullptr)
                    continue;
                const auto t = stamps->values<std::int64_t>();
                const std::vector<double> v = values->toDoubles();
                for (std::size_t i = 0; i < t.size(); ++i)
                    p.samples.emplace_back(t[i], v[i]);
                got += t.size();
            }
            if (got == 0)
                p.exhausted = true;
        }
        // Rows up to the earliest "last read" of the channels still reading are final.
        std::int64_t horizon = std::numeric_limits<std::int64_t>::max();
        for (const Pending& p : channels)
            if (!p.exhausted)
                horizon = std::min(horizon,
                    p.samples.empty() ? std::numeric_limits<std::int64_t>::min()
                                      : p.samples.back().first);
        rows += writeRows(channels, horizon, out);
        if (keepGoing) {
            const std::int64_t done = horizon == std::numeric_limits<std::int64_t>::max()
                ? request.range.end.nanoseconds()
                : horizon;
            const double fraction = static_cast<double>(done - request.range.start.nanoseconds())
                / static_cast<double>(
                    std::max<std::int64_t>(1, request.range.span().nanoseconds()));
            if (!keepGoing(std::clamp(fraction, 0.0, 1.0))) {
                (void)(*iterator)->close();
                return fail(u"sightline.cancelled"_s, u"the export was cancelled"_s);
            }
        }
    }
    if (!more)
        return tl::unexpected(more.error());
    rows += writeRows(channels, std::numeric_limits<std::int64_t>::max(), out);
    (void)(*iterator)->close();
    return rows;
}

CsvFileExporter::CsvFileExporter(QObject* parent)
    : QObject(parent)
    , m_jobs(BackgroundJobs::Policy::Latest, u"sightline-csv-export"_s)
{
}

void CsvFileExporter::start(
    std::shared_ptr<client::Connection> connection, CsvExport request, QString file)
{
    m_running = true;
    m_jobs.start([this, connection = std::move(connection), request = std::move(request), file](
                     const BackgroundJobs::Job& job) {
        // Written beside the file and renamed over it when complete: a failed or cancelled
        // export leaves no half a file that looks like a whole one (nor a lost old one).
        QSaveFile out(file);
        const auto cannotWrite = [&] {
            return fail(u"sightline.export"_s,
                QObject::tr("Cannot write %1: %2").arg(file, out.errorString()));
        };
        const Result<std::size_t> rows = [&]() -> Result<std::size_t> {
            if (!out.open(QIODevice::WriteOnly))
                return cannotWrite();
            auto written = exportCsv(*connection, request, out, [&](double fraction) {
                job.post([this, fraction] { Q_EMIT progress(fraction); });
                return !job.stopped();
            });
            if (written && !out.commit())
                return cannotWrite();
            return written;
        }();
        job.post([this, file, rows] {
            m_running = false;
            if (rows)
                Q_EMIT finished(file, *rows);
            else
                Q_EMIT failed(file, rows.error());
        });
    });
}

void CsvFileExporter::cancel()
{
    m_jobs.cancel();
    m_running = false;
}

} // namespace sightline::core::feed
