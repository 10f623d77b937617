// The range list's model on its own: the tree (children under parents, newest first),
// changes applied in place or by reset, and the text and label filters, all under Qt's
// model tester.

#include "ui/ranges/range_list_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace sightline;
using sightline::core::client::LabelledRange;

namespace {

constexpr std::int64_t Second = 1'000'000'000;

LabelledRange range(const QString& name,
    std::int64_t startSecond,
    std::int64_t endSecond,
    std::optional<QUuid> parent = std::nullopt,
    std::vector<core::Label> labels = {})
{
    LabelledRange out;
    out.range.key = QUuid::createUuid();
    out.range.name = name;
    out.range.timeRange
        = core::TimeRange { core::TimeStamp(1'754'000'000 * Second + startSecond * Second),
              core::TimeStamp(1'754'000'000 * Second + endSecond * Second) };
    out.range.color = core::Color { 200, 30, 30, 1 };
    out.range.parent = parent;
    out.labels = std::move(labels);
    return out;
}

QStringList topNames(const QAbstractItemModel& model, const QModelIndex& parent = {})
{
    QStringList names;
    for (int row = 0; row < model.rowCount(parent); ++row)
        names.append(model.index(row, 0, parent).data().toString());
    return names;
}

} // namespace

class TestRangeListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void childrenNestUnderParentsNewestFirst()
    {
        ui::RangeListModel model;
        QAbstractItemModelTester tester(&model,
            QAbstractItemModelTester::FailureReportingMode::QtTest);
        const LabelledRange campaign = range(u"Campaign"_s, 0, 3600);
        const LabelledRange older = range(u"Older campaign"_s, -7200, -3600);
        const LabelledRange first = range(u"Hotfire 1"_s, 100, 160, campaign.range.key);
        const LabelledRange second = range(u"Hotfire 2"_s, 900, 975, campaign.range.key);
        const LabelledRange orphan = range(u"Orphan"_s, 50, 60, QUuid::createUuid());
        model.setRanges({ first, older, second, campaign, orphan });
        // Newest first; a range whose parent is not listed stands at the top.
        QCOMPARE(topNames(model),
            (QStringList { u"Orphan"_s, u"Campaign"_s, u"Older campaign"_s }));
        const QModelIndex parent = model.indexOf(campaign.range.key);
        QCOMPARE(topNames(model, parent), (QStringList { u"Hotfire 2"_s, u"Hotfire 1"_s }));
        const QModelIndex child = model.indexOf(first.range.key, ui::RangeListModel::Duration);
        QCOMPARE(child.parent(), parent);
        QCOMPARE(child.data().toString(), u"1m"_s);
        QCOMPARE(model.index(1, ui::RangeListModel::Name).data(Qt::DecorationRole).value<QColor>(),
            QColor(200, 30, 30));
        QCOMPARE(model.ranges().size(), std::size_t(5));
        QCOMPARE(model.ranges()[2].range.name, u"Hotfire 2"_s); // parents before children
    }

    void changesInPlaceKeepTheTreeAndNewRangesResetIt()
    {
        ui::RangeListModel model;
        QAbstractItemModelTester tester(&model,
            QAbstractItemModelTester::FailureReportingMode::QtTest);
        LabelledRange run = range(u"Run 1"_s, 0, 10);
        const LabelledRange other = range(u"Run 0"_s, -100, -90);
        model.setRanges({ run, other });
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        run.range.name = u"Run 1 (aborted)"_s; // renamed elsewhere: the row changes, nothing moves
        run.labels
            = { core::Label { QUuid::createUuid(), u"aborted"_s, core::Color { 1, 2, 3, 1 } } };
        model.setRanges({ other, run });
        QCOMPARE(resets.size(), 0);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(model.index(0, ui::RangeListModel::Labels).data().toString(), u"aborted"_s);
        model.setRanges({ other, run, range(u"Run 2"_s, 20, 30) });
        QCOMPARE(resets.size(), 1);
        QCOMPARE(topNames(model), (QStringList { u"Run 2"_s, u"Run 1 (aborted)"_s, u"Run 0"_s }));
        model.setRanges({});
        QCOMPARE(model.rowCount(), 0);
    }

    void filtersByWordsAndLabelKeepingParents()
    {
        ui::RangeListModel model;
        ui::RangeFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&filter,
            QAbstractItemModelTester::FailureReportingMode::QtTest);
        const core::Label nominal { QUuid::createUuid(),
            u"nominal"_s,
            core::Color { 0, 160, 0, 1 } };
        const LabelledRange campaign = range(u"Qualification"_s, 0, 3600);
        model.setRanges({ campaign,
            range(u"Hotfire 1"_s, 100, 160, campaign.range.key, { nominal }),
            range(u"Hotfire 2"_s, 900, 975, campaign.range.key),
            range(u"Cold flow"_s, -500, -400) });
        filter.setFilterText(u"hot 2"_s);
        QCOMPARE(topNames(filter), QStringList { u"Qualification"_s }); // kept for its child
        QCOMPARE(topNames(filter, filter.index(0, 0)), QStringList { u"Hotfire 2"_s });
        filter.setFilterText(u"NOMINAL"_s); // label names are searched too
        QCOMPARE(topNames(filter, filter.index(0, 0)), QStringList { u"Hotfire 1"_s });
        filter.setFilterText({});
        filter.setLabel(nominal.key);
        QCOMPARE(topNames(filter), QStringList { u"Qualification"_s });
        QCOMPARE(topNames(filter, filter.index(0, 0)), QStringList { u"Hotfire 1"_s });
        filter.setLabel(std::nullopt);
        QCOMPARE(topNames(filter), (QStringList { u"Qualification"_s, u"Cold flow"_s }));
    }
};

QTEST_MAIN(TestRangeListModel)
#include "tst_range_list_model.moc"
