#include "ui/ranges/compare_window.h"

#include "core/client/connection.h"
#include "core/store/history_cache.h"
#include "ui/ranges/overlay_cursors.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPdfWriter>
#include <QPushButton>
#include <QSvgGenerator>
#include <QVBoxLayout>
#include <qcustomplot.h>

using namespace Qt::StringLiterals;

namespace sightline::ui {

namespace {

    constexpr int KeyRole = Qt::UserRole + 1;

    /// Each range's colour, in order; a range with none, or with one an earlier range has
    /// (runs marked live all get the same), gets a distinct one from a palette instead.
    std::vector<QColor> distinctColors(const std::vector<const core::Range*>& ranges)
    {
        static const QColor palette[] = { QColor(u"#1f77b4"_s),
            QColor(u"#d62728"_s),
            QColor(u"#2ca02c"_s),
            QColor(u"#9467bd"_s),
            QColor(u"#ff7f0e"_s),
            QColor(u"#17becf"_s),
            QColor(u"#8c564b"_s),
            QColor(u"#e377c2"_s) };
        std::vector<QColor> colors;
        std::size_t next = 0;
        for (const core::Range* range : ranges) {
            QColor color;
            if (range->color && range->color->a > 0)
                color = QColor(range->color->r, range->color->g, range->color->b);
            if (!color.isValid()
                || std::find(colors.begin(), colors.end(), color) != colors.end()) {
                color = palette[next++ % std::size(palette)];
                while (std::find(colors.begin(), colors.end(), color) != colors.end()
                    && next < std::size(palette) * 2)
                    color = palette[next++ % std::size(palette)];
            }
            colors.push_back(color);
        }
        return colors;
    }

} // namespace

CompareWindow::CompareWindow(std::shared_ptr<core::client::Connection> connection,
    std::vector<core::client::LabelledRange> ranges,
    std::vector<core::Channel> channels,
    CacheAccess cache,
    QWidget* parent)
    : QWidget(parent, Qt::Window)
    , m_connection(std::move(connection))
    , m_cache(std::move(cache))
    , m_ranges(std::move(ranges))
    , m_channels(std::move(channels))
{
    QStringList names;
    for (const auto& entry : m_ranges)
        names.append(entry.range.name);
    setWindowTitle(tr("Compare runs: %1").arg(names.join(u", "_s)));

    m_channelList = new QListWidget(this);
    m_eventChannel = new QComboBox(this);
    for (const core::Channel& channel : m_channels) {
        auto* item = new QListWidgetItem(channel.name, m_channelList);
        item->setData(KeyRole, channel.key);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
        m_eventChannel->addItem(channel.name, channel.key);
    }
    m_channelList->setMaximumWidth(240);
    m_channelSearch = new QLineEdit(this);
    m_channelSearch->setPlaceholderText(tr("Search channels"));
    m_channelSearch->setClearButtonEnabled(true);
    m_channelSearch->setMaximumWidth(240);
    connect(m_channelSearch, &QLineEdit::textChanged, this, [this](const QString& text) {
        // Ticked channels stay in sight: they are what is drawn.
        for (int row = 0; row < m_channelList->count(); ++row) {
            QListWidgetItem* item = m_channelList->item(row);
            item->setHidden(item->checkState() != Qt::Checked
                && !item->text().contains(text.trimmed(), Qt::CaseInsensitive));
        }
    });
    m_alignBy = new QComboBox(this);
    m_alignBy->addItem(tr("from each range's start"));
    m_alignBy->addItem(tr("from an event"));
    m_threshold = new QDoubleSpinBox(this);
    m_threshold->setRange(-1e12, 1e12);
    m_threshold->setDecimals(3);
    m_falling = new QCheckBox(tr("falling"), this);
    const auto showEvent = [this] {
        const bool event = m_alignBy->currentIndex() == 1;
        m_eventChannel->setVisible(event);
        m_threshold->setVisible(event);
        m_falling->setVisible(event);
    };
    connect(m_alignBy, &QComboBox::currentIndexChanged, this, showEvent);
    showEvent();
    auto* draw = new QPushButton(tr("Draw"), this);
    connect(draw, &QPushButton::clicked, this, &CompareWindow::compareChosen);
    auto* save = new QPushButton(tr("Export…"), this);
    connect(save, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getSaveFileName(this,
            tr("Export the comparison"),
            {},
            tr("Images (*.png *.svg *.pdf)"));
        if (file.isEmpty())
            return;
        if (auto saved = exportImage(file); !saved)
            m_status->setText(saved.error().message);
    });
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Time zero:"), this));
    controls->addWidget(m_alignBy);
    controls->addWidget(m_eventChannel);
    controls->addWidget(new QLabel(tr("crosses"), this));
    controls->addWidget(m_threshold);
    controls->addWidget(m_falling);
    controls->addStretch();
    controls->addWidget(draw);
    controls->addWidget(save);

    m_plot = new QCustomPlot(this);
    m_plot->xAxis->setLabel(tr("Seconds from time zero"));
    m_plot->legend->setVisible(true);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_status = new QLabel(this);
    m_readout = new QLabel(this);
    m_readout->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_statistics = new QLabel(this);
    m_statistics->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_cursors = new OverlayCursors(m_plot, m_readout, m_statistics);
    m_cursors->setTraces(&m_traces);
    auto* body = new QHBoxLayout;
    auto* channelColumn = new QVBoxLayout;
    channelColumn->addWidget(m_channelSearch);
    channelColumn->addWidget(m_channelList, 1);
    body->addLayout(channelColumn);
    body->addWidget(m_plot, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addLayout(body, 1);
    layout->addWidget(m_readout);
    layout->addWidget(m_statistics);
    layout->addWidget(m_status);
    resize(1100, 650);
}

CompareWindow::~CompareWindow() = default;

core::store::RunAlignment CompareWindow::chosenAlignment() const
{
    core::store::RunAlignment alignment;
    if (m_alignBy->currentIndex() == 1 && m_eventChannel->currentIndex() >= 0) {
        alignment.eventChannel = core::ChannelKey(m_eventChannel->currentData().toUInt());
        alignment.threshold = m_threshold->value();
        alignment.rising = !m_falling->isChecked();
    }
    return alignment;
}

void CompareWindow::compareChosen()
{
    std::vector<core::ChannelKey> chosen;
    for (int row = 0; row < m_channelList->count(); ++row)
        if (m_channelList->item(row)->checkState() == Qt::Checked)
            chosen.push_back(core::ChannelKey(m_channelList->item(row)->data(KeyRole).toUInt()));
    if (chosen.empty()) {
        m_status->setText(tr("Tick one or more channels to compare."));
        return;
    }
    compare(chosen, chosenAlignment());
}

void CompareWindow::compare(const std::vector<core::ChannelKey>& keys,
    const core::store::RunAlignment& alignment)
{
    // The controls show what is drawn, however it was asked for.
    for (int row = 0; row < m_channelList->count(); ++row) {
        const auto key = core::ChannelKey(m_channelList->item(row)->data(KeyRole).toUInt());
        m_channelList->item(row)->setCheckState(
            std::find(keys.begin(), keys.end(), key) != keys.end() ? Qt::Checked : Qt::Unchecked);
    }
    m_alignBy->setCurrentIndex(alignment.eventChannel ? 1 : 0);
    if (alignment.eventChannel) {
        m_eventChannel->setCurrentIndex(m_eventChannel->findData(*alignment.eventChannel));
        m_threshold->setValue(alignment.threshold);
        m_falling->setChecked(!alignment.rising);
    }
    std::vector<core::Channel> chosen;
    for (const core::Channel& channel : m_channels)
        if (std::find(keys.begin(), keys.end(), channel.key) != keys.end()
            || (alignment.eventChannel && channel.key == *alignment.eventChannel))
            chosen.push_back(channel);
    std::vector<core::Range> ranges;
    for (const auto& entry : m_ranges)
        ranges.push_back(entry.range);
    m_alignment = alignment;
    core::store::HistoryCache* cache = m_cache ? m_cache() : nullptr;
    const core::store::HistoryCache uncached(0);
    auto plan = core::store::planRuns(cache != nullptr ? *cache : uncached, ranges, chosen);
    m_samplesCached = 0;
    for (const auto& run : plan.runs)
        m_samplesCached += run.values.size();
    m_samplesRead = 0;
    if (plan.gaps.empty()) { // all from memory
        m_reads.cancel(); // a read still running is no longer wanted
        m_reading = false;
        draw(plan.runs, keys);
        Q_EMIT compared(QString());
        return;
    }
    m_reading = true;
    m_status->setText(
        tr("Reading %1 channels of %2 ranges…").arg(chosen.size()).arg(ranges.size()));
    const core::TimeStamp readAt = core::TimeStamp::now();
    m_reads.start([this, connection = m_connection, plan = std::move(plan), keys, readAt](
                      const core::feed::BackgroundJobs::Job& job) mutable {
        auto read = core::store::readGaps(*connection, plan);
        job.post([this, keys, readAt, plan = std::move(plan), read = std::move(read)]() mutable {
            m_reading = false;
            if (!read) {
                m_status->setText(read.error().message);
                Q_EMIT compared(read.error().message);
                return;
            }
            for (const auto& gap : *read)
                m_samplesRead += gap.values.size();
            core::store::fillGaps(plan, std::move(*read), m_cache ? m_cache() : nullptr, readAt);
            draw(plan.runs, keys);
            Q_EMIT compared(QString());
        });
    });
}

void CompareWindow::draw(const std::vector<core::store::RunSamples>& runs,
    const std::vector<core::ChannelKey>& drawn)
{
    QStringList problems;
    m_traces = core::store::overlayRuns(runs, m_alignment, &problems);
    // The event channel places time zero; it is drawn only when it was chosen too.
    std::erase_if(m_traces, [&](const core::store::OverlayTrace& trace) {
        return std::find(drawn.begin(), drawn.end(), trace.channel.key) == drawn.end();
    });
    m_plot->clearGraphs();
    std::vector<const core::Range*> ranges; // in order of first trace
    const auto rankOf = [&](const core::Range& range) {
        return std::size_t(std::find_if(ranges.begin(), ranges.end(), [&](const core::Range* r) {
            return r->key == range.key;
        }) - ranges.begin());
    };
    std::vector<core::ChannelKey> channelOrder;
    for (const auto& trace : m_traces) {
        if (rankOf(trace.range) == ranges.size())
            ranges.push_back(&trace.range);
        if (std::find(channelOrder.begin(), channelOrder.end(), trace.channel.key)
            == channelOrder.end())
            channelOrder.push_back(trace.channel.key);
    }
    const std::vector<QColor> colors = distinctColors(ranges);
    static const Qt::PenStyle styles[]
        = { Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine };
    for (const auto& trace : m_traces) {
        const std::size_t rank = rankOf(trace.range);
        const auto style
            = std::size_t(std::find(channelOrder.begin(), channelOrder.end(), trace.channel.key)
                - channelOrder.begin());
        QCPGraph* graph = m_plot->addGraph();
        graph->setName(trace.name);
        graph->setPen(QPen(colors[rank], 1.5, styles[style % std::size(styles)]));
        graph->setData(QVector<double>(trace.seconds.begin(), trace.seconds.end()),
            QVector<double>(trace.values.begin(), trace.values.end()),
            true);
    }
    m_plot->rescaleAxes();
    m_cursors->setTraces(&m_traces); // the statistics follow the new traces
    m_plot->replot();
    const QString drawnText = tr("%1 traces (%2 samples read, %3 from the history cache)")
                                  .arg(m_traces.size())
                                  .arg(m_samplesRead)
                                  .arg(m_samplesCached);
    m_status->setText(problems.isEmpty() ? drawnText : problems.join(u"; "_s));
}

core::Result<void> CompareWindow::exportImage(const QString& file)
{
    const int width = std::max(900, m_plot->width());
    const int height = std::max(500, m_plot->height());
    bool ok = false;
    if (file.endsWith(u".pdf"_s, Qt::CaseInsensitive)) {
        ok = m_plot->savePdf(file, width, height, QCP::epNoCosmetic, windowTitle());
    } else if (file.endsWith(u".svg"_s, Qt::CaseInsensitive)) {
        QSvgGenerator svg;
        svg.setFileName(file);
        svg.setSize(QSize(width, height));
        svg.setViewBox(QRect(0, 0, width, height));
        svg.setTitle(windowTitle());
        QCPPainter painter;
        ok = painter.begin(&svg);
        if (ok) {
            m_plot->toPainter(&painter, width, height);
            ok = painter.end();
        }
    } else {
        ok = m_plot->savePng(file, width, height);
    }
    if (!ok)
        return core::fail(u"sightline.export"_s, tr("Cannot write %1").arg(file));
    return {};
}

} // namespace sightline::ui
