// The plot's small parts without a cluster: the app-wide channel colours (palette, stable
// assignment, persistence), plot layouts as JSON (round trip, bad input), limit-line sides,
// and which keys a text box gives up to the app's shortcuts.

#include "core/store/live_store.h"
#include "ui/plot/channel_colors.h"
#include "ui/plot/legend_strip.h"
#include "ui/plot/live_plot.h"
#include "ui/plot/plot_layout.h"
#include "ui/plot/trace_canvas.h"
#include "ui/shell/shortcut_guard.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QKeyEvent>
#include <QLineEdit>
#include <QRandomGenerator>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <array>
#include <cmath>
#include <set>

using namespace Qt::StringLiterals;
using namespace sightline;

namespace {

double linear(double channel)
{
    channel /= 255.0;
    return channel <= 0.04045 ? channel / 12.92 : std::pow((channel + 0.055) / 1.055, 2.4);
}

double luminance(const QColor& c)
{
    return 0.2126 * linear(c.red()) + 0.7152 * linear(c.green()) + 0.0722 * linear(c.blue());
}

double contrast(const QColor& a, const QColor& b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

/// CIE76 distance in L*a*b* (D65).
double deltaE(const QColor& a, const QColor& b)
{
    const auto lab = [](const QColor& c) {
        const double r = linear(c.red()), g = linear(c.green()), bl = linear(c.blue());
        const double x = (0.4124 * r + 0.3576 * g + 0.1805 * bl) / 0.95047;
        const double y = 0.2126 * r + 0.7152 * g + 0.0722 * bl;
        const double z = (0.0193 * r + 0.1192 * g + 0.9505 * bl) / 1.08883;
        const auto f
            = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116; };
        return std::array { 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)) };
    };
    const auto p = lab(a);
    const auto q = lab(b);
    return std::hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

/// A channel on index 1 (key 1 is the index).
core::Channel channel(core::ChannelKey key, core::DataType type)
{
    core::Channel c;
    c.key = key;
    c.name = u"ch%1"_s.arg(key);
    c.dataType = type;
    c.index = 1;
    c.isIndex = key == 1;
    return c;
}

/// `samples` samples of channel 2 at 1 kHz up to `now`.
void feed(core::store::LiveStore& live, core::TimeStamp now, std::size_t samples)
{
    using namespace sightline::core;
    std::vector<TimeStamp> stamps;
    std::vector<float> values;
    for (std::size_t i = 0; i < samples; ++i) {
        stamps.push_back(now - TimeSpan::milliseconds(std::int64_t(samples - i)));
        values.push_back(float(i % 100));
    }
    Frame frame;
    frame.add(1, Series::fromTimeStamps(stamps));
    frame.add(2, Series::fromValues<float>(values));
    live.ingest(frame);
}

/// One sample of channel 2 with `value` at `at`.
void feedOne(core::store::LiveStore& live, core::TimeStamp at, float value)
{
    const std::vector<core::TimeStamp> stamps { at };
    const std::vector<float> values { value };
    core::Frame frame;
    frame.add(1, core::Series::fromTimeStamps(stamps));
    frame.add(2, core::Series::fromValues<float>(values));
    live.ingest(frame);
}

} // namespace

class TestPlotParts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aWindowTheBuffersCannotHoldSaysSoOnThePlot()
    {
        using namespace sightline::core;
        const TimeStamp now = TimeStamp::now();
        const auto fed = [&](store::LiveStore& live, std::size_t samples) {
            live.track({ channel(1, DataType::Timestamp), channel(2, DataType::Float32) });
            feed(live, now, samples);
        };
        ui::LivePlot plot;
        plot.resize(800, 400);
        plot.addChannel(channel(2, DataType::Float32));
        plot.setWindow(TimeSpan::seconds(30));

        store::LiveStore small(std::size_t(1) << 30, 2000); // 2 s at 1 kHz
        fed(small, 5000);
        plot.refresh(small, now);
        QVERIFY2(plot.shortWindowNote().contains(u"last 2 s of the 30 s window"_s),
            qPrintable(plot.shortWindowNote()));

        store::LiveStore grown(std::size_t(1) << 30, 2000);
        grown.setWantedSpan(TimeSpan::seconds(30));
        fed(grown, 5000);
        plot.refresh(grown, now);
        QCOMPARE(plot.shortWindowNote(), QString());
    }

    void aFrameWithNothingNewIsNotDrawnAgain()
    {
        using namespace sightline::core;
        ui::LivePlot plot;
        plot.resize(800, 400);
        plot.addChannel(channel(2, DataType::Float32));
        store::LiveStore live;
        live.track({ channel(1, DataType::Timestamp), channel(2, DataType::Float32) });
        TimeStamp now = TimeStamp::now();
        feed(live, now, 3000);
        QSignalSpy replots(plot.plot(), &QCustomPlot::afterReplot);
        const auto frame = [&] {
            plot.refresh(live, now);
            QCoreApplication::processEvents(); // the queued replot, if any
        };
        frame();
        frame(); // the first replot lays the plot out: its axis labels fit the new height
        const auto drawn = replots.count();
        QVERIFY(drawn >= 1);
        frame(); // the same samples, the same time: nothing to draw
        frame();
        QCOMPARE(replots.count(), drawn);
        now = now + TimeSpan::milliseconds(100); // new samples, the view moves on
        feed(live, now, 100);
        frame();
        QCOMPARE(replots.count(), drawn + 1);
    }

    void legendValuesChangeAtMostTenTimesASecondButLimitCrossingsAtOnce()
    {
        using namespace sightline::core;
        ui::LivePlot plot;
        plot.resize(800, 400);
        plot.addChannel(channel(2, DataType::Float32));
        plot.addLimitLine({ 50, u"MEOP"_s, {}, Qt::DashLine, 0, ui::LimitLine::Kind::Upper });
        store::LiveStore live;
        live.track({ channel(1, DataType::Timestamp), channel(2, DataType::Float32) });
        TimeStamp now = TimeStamp::now();
        const auto frame = [&](float value) {
            now = now + TimeSpan::milliseconds(1);
            feedOne(live, now, value);
            plot.refresh(live, now);
            return plot.legend()->entries()[0];
        };
        QElapsedTimer shown;
        shown.start();
        QCOMPARE(frame(10).value, u"10"_s);
        const ui::LegendEntry held = frame(20); // a frame later: the reading stands
        if (shown.elapsed() < 100) // (a stalled machine may have let the interval go by)
            QCOMPARE(held.value, u"10"_s);
        const ui::LegendEntry crossed = frame(60); // beyond the limit: shown at once
        QCOMPARE(crossed.value, u"60"_s);
        QVERIFY(crossed.warning);
        const ui::LegendEntry back = frame(30); // and back
        QCOMPARE(back.value, u"30"_s);
        QVERIFY(!back.warning);
        QTest::qWait(120);
        QCOMPARE(frame(40).value, u"40"_s); // the interval gone by: the new reading
    }

    void followingLiveDrawsWhatADrawingAfreshDraws()
    {
        // Frame after frame the canvas only scrolls and draws the new columns, and the
        // graphs only take the points that changed: what shows must be what the plot's
        // export (every trace drawn afresh from its graph) shows, and the graphs must hold
        // exactly the decimated points.
        using namespace sightline::core;
        ui::LivePlot plot;
        plot.resize(800, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.addChannel(channel(2, DataType::Float32));
        plot.addChannel(channel(3, DataType::Float32));
        store::LiveStore live;
        live.track({ channel(1, DataType::Timestamp),
            channel(2, DataType::Float32),
            channel(3, DataType::Float32) });
        QRandomGenerator random(11);
        TimeStamp now = TimeStamp::now();
        TimeStamp fedUpTo = now - TimeSpan::seconds(40);
        const auto feedTo = [&](TimeStamp to) { // 1 kHz of noise, two channels
            std::vector<TimeStamp> stamps;
            std::vector<float> a;
            std::vector<float> b;
            for (; fedUpTo < to; fedUpTo = fedUpTo + TimeSpan::milliseconds(1)) {
                stamps.push_back(fedUpTo);
                a.push_back(float(random.bounded(1000)) / 10);
                b.push_back(50 + float(random.bounded(200)) / 10);
            }
            Frame frame;
            frame.add(1, Series::fromTimeStamps(stamps));
            frame.add(2, Series::fromValues<float>(a));
            frame.add(3, Series::fromValues<float>(b));
            live.ingest(frame);
        };
        ui::TraceCanvas* canvas = nullptr;
        for (QCPLayerable* layerable : plot.plot()->layer(u"main"_s)->children())
            canvas = canvas != nullptr ? canvas : dynamic_cast<ui::TraceCanvas*>(layerable);
        QVERIFY(canvas != nullptr);
        int scrolled = 0;
        // Each frame is painted straight onto the widget, once, by the paint Qt makes.
        QVERIFY(plot.plot()->paintsDirectly());
        QSignalSpy painted(plot.plot(), &ui::OpaquePlot::framePainted);
        QSignalSpy replots(plot.plot(), &QCustomPlot::afterReplot);
        for (int frame = 0; frame < 40; ++frame) {
            now = now + TimeSpan::milliseconds(frame % 5 == 4 ? 120 : 17);
            feedTo(now);
            if (frame == 20)
                live.markGapEverywhere(); // the line breaks after the newest sample
            painted.clear();
            plot.refresh(live, now);
            QCoreApplication::processEvents(); // the paint
            // (The first data brings the legend in above the plot: its resize paints again.)
            QVERIFY2(frame == 0 ? painted.count() >= 1 : painted.count() == 1,
                qPrintable(u"frame %1: %2 paints"_s.arg(frame).arg(painted.count())));
            QCOMPARE(replots.count(), 0); // no paint buffer drawn
            if (canvas->lastDrawnColumns() < plot.plot()->axisRect()->width() / 4)
                ++scrolled;
            for (int g = 0; g < 2; ++g)
                QCOMPARE(plot.plot()->graph(g)->dataCount(), plot.pointCount(ChannelKey(2 + g)));
            QVERIFY(plot.pointCount(2) > plot.plot()->axisRect()->width()); // dense
            const QRect area = plot.plot()->axisRect()->rect();
            const QImage shown
                = plot.plot()->grab().toImage().copy(area).convertToFormat(QImage::Format_RGB32);
            const QImage fresh = plot.plot()
                                     ->toPixmap(plot.plot()->width(), plot.plot()->height())
                                     .toImage()
                                     .copy(area)
                                     .convertToFormat(QImage::Format_RGB32);
            QVERIFY2(shown == fresh, qPrintable(u"frame %1 differs"_s.arg(frame)));
        }
        QVERIFY2(scrolled > 20, qPrintable(u"%1 frames scrolled"_s.arg(scrolled)));
        // The canvas held the background and the grid: the buffer is not cleared under it.
        QVERIFY(canvas->promiseOpaqueArea());
    }

    void aChannelAddedBeforeItsDataIsShownAtOnce()
    {
        // Its axis label and legend entry appear, and the empty-plot hint goes, without
        // waiting for samples (or for the view to move on).
        using namespace sightline::core;
        ui::LivePlot plot;
        plot.resize(800, 400);
        store::LiveStore live;
        plot.refresh(live, TimeStamp::now());
        QCoreApplication::processEvents();
        QSignalSpy replots(plot.plot(), &QCustomPlot::afterReplot);
        plot.addChannel(channel(2, DataType::Float32));
        QCoreApplication::processEvents();
        QCOMPARE(replots.count(), 1);
        QVERIFY(plot.plot()->yAxis->label().startsWith(u"ch2"_s));
    }

    void paletteHasSixteenDistinguishableColoursForLightAndDark()
    {
        const auto& palette = ui::ChannelColors::palette();
        QVERIFY(palette.size() >= 16);
        for (std::size_t i = 0; i < palette.size(); ++i) {
            QVERIFY2(contrast(palette[i], QColor(Qt::white)) >= 2.0, qPrintable(palette[i].name()));
            QVERIFY2(contrast(palette[i], QColor(28, 28, 30)) >= 2.0,
                qPrintable(palette[i].name()));
            for (std::size_t j = i + 1; j < palette.size(); ++j)
                QVERIFY2(deltaE(palette[i], palette[j]) >= 15,
                    qPrintable(palette[i].name() + u" ~ "_s + palette[j].name()));
        }
    }

    void aChannelKeepsItsColourAndNewOnesTakeUnusedOnes()
    {
        ui::ChannelColors colors;
        std::set<QRgb> first;
        for (int i = 0; i < 16; ++i)
            first.insert(colors.colorFor(u"ch%1"_s.arg(i)).rgb());
        QCOMPARE(first.size(), std::size_t(16)); // no repeat within the palette
        QCOMPARE(colors.colorFor(u"ch3"_s), colors.colorFor(u"ch3"_s));
        // The user's choice sticks and is announced.
        QSignalSpy changed(&colors, &ui::ChannelColors::colorChanged);
        colors.setColor(u"ch3"_s, QColor(0x123456));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(colors.colorFor(u"ch3"_s), QColor(0x123456));
    }

    void coloursSurviveARestart()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
        QColor thrust;
        {
            ui::ChannelColors colors;
            colors.colorFor(u"a/b weird name"_s);
            thrust = colors.colorFor(u"stand_thrust"_s);
            colors.setColor(u"stand_tc"_s, QColor(0xabcdef));
            colors.save(settings);
        }
        settings.sync();
        ui::ChannelColors restored;
        restored.load(settings);
        QCOMPARE(restored.colorFor(u"stand_thrust"_s), thrust);
        QCOMPARE(restored.colorFor(u"stand_tc"_s), QColor(0xabcdef));
        QVERIFY(restored.hasColor(u"a/b weird name"_s));
    }

    void layoutRoundTripsThroughJson()
    {
        ui::PlotLayout layout;
        layout.channels = { u"a"_s, u"b"_s, u"c"_s };
        layout.channelAxes = { 0, 3, 2 };
        layout.hidden = { u"b"_s };
        layout.axes[1] = { u"Pressure (bar)"_s, std::pair { -1.5, 300.25 } };
        layout.axes[3].range = std::pair { 0.0, 1.0 };
        layout.limits.push_back(
            { 250.0, u"MEOP"_s, QColor(0xff0000), Qt::SolidLine, 1, ui::LimitLine::Kind::Upper });
        layout.limits.push_back({ -3.0, {}, {}, Qt::DotLine, 0, ui::LimitLine::Kind::Lower });
        layout.windowNs = 123'456'789'012;
        layout.row = 2;
        const QByteArray json = QJsonDocument(layout.toJson()).toJson();
        QCOMPARE(ui::PlotLayout::fromJson(QJsonDocument::fromJson(json).object()), layout);
    }

    void badLayoutFieldsFallBackToDefaults()
    {
        const auto json = QJsonDocument::fromJson(R"({
            "channels": [{"name": "a", "axis": 9}, {"name": ""}, {"name": "a"}, 5],
            "axes": [{"min": 5, "max": 1}, {"min": "x"}],
            "limits": [{"value": "NaN"}, {"label": "no value"}, {"value": 1, "axis": -2}],
            "windowNs": "-5", "row": -1 })")
                              .object();
        const ui::PlotLayout layout = ui::PlotLayout::fromJson(json);
        QCOMPARE(layout.channels, QStringList { u"a"_s });
        QCOMPARE(layout.channelAxes, std::vector<int> { 0 });
        QVERIFY(!layout.axes[0].range); // min ≥ max is no range
        QCOMPARE(layout.limits.size(), std::size_t(1));
        QCOMPARE(layout.limits[0].axis, 0);
        QCOMPARE(layout.windowNs, std::int64_t(0));
        QCOMPARE(layout.row, 0);
    }

    void limitSides()
    {
        ui::LimitLine upper { 10, {}, {}, Qt::DashLine, 0, ui::LimitLine::Kind::Upper };
        ui::LimitLine lower = upper;
        lower.kind = ui::LimitLine::Kind::Lower;
        QVERIFY(upper.isExceededBy(10.5));
        QVERIFY(!upper.isExceededBy(10));
        QVERIFY(lower.isExceededBy(9.5));
        QVERIFY(!lower.isExceededBy(std::nan("")));
        QVERIFY(!upper.isExceededBy(std::nan("")));
        QCOMPARE(ui::axisTag(0), u"L1"_s);
        QCOMPARE(ui::axisTag(3), u"R2"_s);
    }

    void textBoxGivesUpOnlyKeysItWouldNotUse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("cursor");
        QTest::addColumn<int>("key");
        QTest::addColumn<int>("modifiers");
        QTest::addColumn<bool>("givenUp");
        QTest::newRow("End in an empty box") << QString() << 0 << int(Qt::Key_End) << 0 << true;
        QTest::newRow("End at the end") << u"pt"_s << 2 << int(Qt::Key_End) << 0 << true;
        QTest::newRow("End mid-text") << u"pt"_s << 1 << int(Qt::Key_End) << 0 << false;
        QTest::newRow("Shift+End selects")
            << u"pt"_s << 2 << int(Qt::Key_End) << int(Qt::ShiftModifier) << false;
        QTest::newRow("Left at the start") << u"pt"_s << 0 << int(Qt::Key_Left) << 0 << true;
        QTest::newRow("Left mid-text") << u"pt"_s << 2 << int(Qt::Key_Left) << 0 << false;
        QTest::newRow("Ctrl+Right at the end")
            << u"pt"_s << 2 << int(Qt::Key_Right) << int(Qt::ControlModifier) << true;
        QTest::newRow("Backspace in an empty box")
            << QString() << 0 << int(Qt::Key_Backspace) << 0 << true;
        QTest::newRow("Backspace deletes") << u"pt"_s << 2 << int(Qt::Key_Backspace) << 0 << false;
        QTest::newRow("letters are typing") << QString() << 0 << int(Qt::Key_A) << 0 << false;
        QTest::newRow("Page Down") << u"pt"_s << 1 << int(Qt::Key_PageDown) << 0 << true;
    }

    void textBoxGivesUpOnlyKeysItWouldNotUse()
    {
        QFETCH(QString, text);
        QFETCH(int, cursor);
        QFETCH(int, key);
        QFETCH(int, modifiers);
        QFETCH(bool, givenUp);
        QLineEdit edit(text);
        edit.setCursorPosition(cursor);
        const QKeyEvent event(QEvent::ShortcutOverride,
            key,
            Qt::KeyboardModifiers(modifiers),
            QString());
        QCOMPARE(ui::ShortcutGuard::editIgnores(edit, event), givenUp);
    }
};

QTEST_MAIN(TestPlotParts)
#include "tst_plot_parts.moc"
