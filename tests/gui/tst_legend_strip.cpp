// The legend strip above a live plot: entries wrap instead of overflowing, never overlap,
// keep their place while values change, and report clicks by trace id.

#include "ui/plot/legend_strip.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QImage>
#include <QPalette>
#include <QSignalSpy>
#include <QTest>

#include <set>
#include <vector>

using namespace Qt::StringLiterals;
using sightline::ui::LegendEntry;
using sightline::ui::LegendStrip;

class TestLegendStrip : public QObject
{
    Q_OBJECT

private:
    static constexpr int StripWidth = 300;
    static constexpr quint32 FirstId = 100;

    static std::vector<LegendEntry> makeEntries(int count)
    {
        static const QColor colors[]
            = { QColor(0x1f77b4), QColor(0xd62728), QColor(0x2ca02c), QColor(0x9467bd) };
        std::vector<LegendEntry> entries;
        for (int i = 0; i < count; ++i) {
            LegendEntry e;
            e.id = FirstId + static_cast<quint32>(i);
            e.name = (i % 3 == 0 ? u"pressure_%1"_s : u"t%1"_s).arg(i);
            e.value = QString::number(i * 1.25, 'f', 2);
            e.axisTag = (i % 2 == 0 ? u"L1"_s : u"R2"_s);
            e.color = colors[i % 4];
            entries.push_back(e);
        }
        return entries;
    }

    /// A shown strip of `count` entries, as wide as asked and as tall as it wants to be.
    static void setUp(LegendStrip& strip, int count, int width = StripWidth)
    {
        strip.setEntries(makeEntries(count));
        strip.resize(width, strip.heightForWidth(width));
        strip.show();
        QVERIFY(QTest::qWaitForWindowExposed(&strip));
    }

    static std::vector<QRect> allRects(const LegendStrip& strip)
    {
        std::vector<QRect> rects;
        for (int i = 0; i < strip.entryCount(); ++i)
            rects.push_back(strip.entryRect(i));
        return rects;
    }

    /// The pixels of `rect` (logical coordinates) in a grab of the strip.
    static QImage grabRect(LegendStrip& strip, const QRect& rect)
    {
        const QImage image = strip.grab().toImage();
        const qreal dpr = image.devicePixelRatio();
        const QRectF scaled(QPointF(rect.topLeft()) * dpr, QSizeF(rect.size()) * dpr);
        return image.copy(scaled.toRect());
    }

    static int countColor(const QImage& image, const QColor& color)
    {
        int n = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x)
                n += image.pixelColor(x, y).rgb() == color.rgb() ? 1 : 0;
        }
        return n;
    }

    static QPalette darkPalette()
    {
        QPalette pal;
        pal.setColor(QPalette::Window, QColor(0x1e1f22));
        pal.setColor(QPalette::WindowText, QColor(0xdfe1e5));
        pal.setColor(QPalette::PlaceholderText, QColor(0x6f737a));
        return pal;
    }

private Q_SLOTS:
    void manyEntriesWrapOntoSeveralRows()
    {
        LegendStrip strip;
        setUp(strip, 20);
        std::set<int> rowTops;
        for (const QRect& r : allRects(strip))
            rowTops.insert(r.top());
        QVERIFY2(rowTops.size() >= 3, qPrintable(u"rows: %1"_s.arg(rowTops.size())));
        QCOMPARE(strip.height(), strip.heightForWidth(StripWidth));
        QCOMPARE(strip.heightForWidth(StripWidth), strip.heightForRows(int(rowTops.size())));
        QVERIFY(strip.hasHeightForWidth());
        QCOMPARE(strip.minimumSizeHint().height(), strip.heightForRows(1));
        QVERIFY(strip.rowHeight() > 0);
    }

    void heightGrowsAsWidthShrinks()
    {
        LegendStrip strip;
        strip.setEntries(makeEntries(20));
        const int widths[] = { 8000, 1200, 600, 300, 150 };
        int previous = 0;
        for (const int w : widths) {
            const int h = strip.heightForWidth(w);
            QVERIFY2(h >= previous,
                qPrintable(u"width %1: height %2 < %3"_s.arg(w).arg(h).arg(previous)));
            previous = h;
        }
        // Its size hint is the width that fits every entry on one row.
        QCOMPARE(strip.heightForWidth(strip.sizeHint().width()), strip.heightForRows(1));
        QVERIFY(strip.heightForWidth(strip.sizeHint().width() - 1) > strip.heightForRows(1));
        QVERIFY(strip.heightForWidth(150) > strip.heightForWidth(600));
        QVERIFY(strip.sizeHint().width() > 1200);
    }

    void entriesDoNotOverlapAndStayInside_data()
    {
        QTest::addColumn<int>("width");
        QTest::newRow("narrow") << 160;
        QTest::newRow("300px") << StripWidth;
        QTest::newRow("wide") << 900;
    }

    void entriesDoNotOverlapAndStayInside()
    {
        QFETCH(int, width);
        LegendStrip strip;
        setUp(strip, 20, width);
        const auto rects = allRects(strip);
        QCOMPARE(int(rects.size()), 20);
        for (std::size_t i = 0; i < rects.size(); ++i) {
            QVERIFY(!rects[i].isEmpty());
            QVERIFY2(strip.rect().contains(rects[i]), qPrintable(u"entry %1 outside"_s.arg(i)));
            for (std::size_t j = i + 1; j < rects.size(); ++j)
                QVERIFY2(!rects[i].intersects(rects[j]),
                    qPrintable(u"%1 overlaps %2"_s.arg(i).arg(j)));
        }
    }

    void clickingAnEntryReportsItsId_data()
    {
        QTest::addColumn<int>("index");
        QTest::newRow("first") << 0;
        QTest::newRow("middle") << 9;
        QTest::newRow("last") << 19;
    }

    void clickingAnEntryReportsItsId()
    {
        QFETCH(int, index);
        LegendStrip strip;
        setUp(strip, 20);
        QSignalSpy clicked(&strip, &LegendStrip::entryClicked);
        QTest::mouseClick(&strip, Qt::LeftButton, {}, strip.entryRect(index).center());
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.at(0).at(0).value<quint32>(), FirstId + quint32(index));
    }

    void contextMenuOnAnEntryReportsItsId()
    {
        LegendStrip strip;
        setUp(strip, 20);
        QSignalSpy requested(&strip, &LegendStrip::entryContextMenuRequested);
        const QPoint pos = strip.entryRect(4).center();
        QContextMenuEvent event(QContextMenuEvent::Mouse, pos, strip.mapToGlobal(pos));
        QApplication::sendEvent(&strip, &event);
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.at(0).at(0).value<quint32>(), FirstId + 4);
        QCOMPARE(requested.at(0).at(1).toPoint(), strip.mapToGlobal(pos));
    }

    void setValueChangesTextButNotGeometry()
    {
        LegendStrip strip;
        setUp(strip, 20);
        const auto before = allRects(strip);
        const int heightBefore = strip.heightForWidth(StripWidth);
        strip.setValue(FirstId + 3, u"-1.234567e+05"_s, false);
        strip.setValue(FirstId + 7, u"0"_s, false);
        QCOMPARE(strip.entries()[3].value, u"-1.234567e+05"_s);
        QCOMPARE(strip.entries()[7].value, u"0"_s);
        QCOMPARE(allRects(strip), before);
        QCOMPARE(strip.heightForWidth(StripWidth), heightBefore);
    }

    void warningDrawsTheWarningColor()
    {
        LegendStrip strip;
        setUp(strip, 20);
        const QRect rect = strip.entryRect(5);
        QCOMPARE(countColor(grabRect(strip, rect), strip.warningColor()), 0);
        strip.setValue(FirstId + 5, u"99.9"_s, true);
        QVERIFY(countColor(grabRect(strip, rect), strip.warningColor()) > 4);
        QCOMPARE(countColor(grabRect(strip, strip.entryRect(6)), strip.warningColor()), 0);
    }

    /// A new value repaints only the value and its marker, and what shows is what a whole
    /// repaint draws (the name and tag stay; a warning's marker comes and goes).
    void aNewValueRepaintsOnlyItsValueAndShowsTheSame()
    {
        LegendStrip strip;
        setUp(strip, 8);
        QCoreApplication::processEvents();
        const auto shown = [&] { // the window's pixels, as the partial paints left them
            return strip.screen()
                ->grabWindow(strip.winId())
                .toImage()
                .convertToFormat(QImage::Format_RGB32);
        };
        const auto whole
            = [&] { return strip.grab().toImage().convertToFormat(QImage::Format_RGB32); };
        QCOMPARE(shown(), whole());
        for (const auto& [value, warning] :
            std::vector<std::pair<QString, bool>> { { u"12.5"_s, false },
                { u"-99999.125"_s, true },
                { u"3"_s, true },
                { u"0.001"_s, false } }) {
            strip.setValue(FirstId + 2, value, warning);
            QCoreApplication::processEvents();
            QCOMPARE(shown(), whole());
        }
    }

    void hiddenEntryIsDrawnDifferently()
    {
        LegendStrip strip;
        setUp(strip, 20);
        const QRect rect = strip.entryRect(2);
        const QColor color = strip.entries()[2].color;
        const QImage shown = grabRect(strip, rect);
        const auto rectsBefore = allRects(strip);
        strip.setHidden(FirstId + 2, true);
        QVERIFY(strip.entries()[2].hidden);
        const QImage hidden = grabRect(strip, rect);
        QVERIFY(shown != hidden);
        // The filled swatch becomes a hollow box: far fewer pixels in the trace colour.
        QVERIFY(countColor(hidden, color) < countColor(shown, color));
        QCOMPARE(allRects(strip), rectsBefore);
    }

    void rendersScreenshotsForPeople()
    {
        LegendStrip strip;
        setUp(strip, 20, 480);
        strip.setValue(FirstId + 1, u"-3.141593e+00"_s, true);
        strip.setValue(FirstId + 8, u"1013.25 hPa"_s, true);
        strip.setHidden(FirstId + 4, true);
        strip.setHidden(FirstId + 9, true);
        QVERIFY(strip.grab().save(u"legend_strip.png"_s));
        strip.setPalette(darkPalette());
        QVERIFY(strip.grab().save(u"legend_strip_dark.png"_s));
    }
};

QTEST_MAIN(TestLegendStrip)
#include "tst_legend_strip.moc"
