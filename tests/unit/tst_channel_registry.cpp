#include "core/server/channel_registry.h"
#include "core/server/storage/database.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::server;

namespace {

Channel indexChannel(const QString& name)
{
    Channel c;
    c.name = name;
    c.dataType = DataType::Timestamp;
    c.isIndex = true;
    return c;
}

Channel dataChannel(const QString& name, ChannelKey index, DataType type = DataType::Float64)
{
    Channel c;
    c.name = name;
    c.dataType = type;
    c.index = index;
    return c;
}

} // namespace

class TestChannelRegistry : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<ChannelRegistry> m_registry;

    void reopen()
    {
        m_registry.reset();
        m_db.reset();
        m_db = std::move(*Database::open(m_dir.filePath(u"cluster.db"_s)));
        m_registry = std::move(*ChannelRegistry::open(*m_db));
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        QFile::remove(m_dir.filePath(u"cluster.db"_s));
        reopen();
    }

    void namesAliasesAndExpressionsAreBounded()
    {
        const auto tooLong = m_registry->create({ indexChannel(QString(10'000, u'a')) });
        QVERIFY(!tooLong);
        QCOMPARE(tooLong.error().type, errors::Validation);
        QVERIFY2(tooLong.error().message.contains(u"at most 255"_s),
            qPrintable(tooLong.error().message));
        QVERIFY(tooLong.error().message.size() < 200); // the message does not repeat it whole
        QVERIFY(m_registry->create({ indexChannel(QString(255, u'a')) }));
        Channel aliased = indexChannel(u"aliased_time"_s);
        aliased.alias = QString(256, u'b');
        QVERIFY(!m_registry->create({ aliased }));
    }

    void createAssignsSynnaxStyleKeys()
    {
        const auto index = m_registry->create({ indexChannel(u"time_a"_s) });
        QVERIFY(index.has_value());
        QCOMPARE(index->at(0).key, ChannelKey((1U << 20) + 1));
        QCOMPARE(index->at(0).index, index->at(0).key);
        QCOMPARE(index->at(0).leaseholder, std::uint16_t(1));
        const auto data = m_registry->create({ dataChannel(u"data_a"_s, index->at(0).key),
            dataChannel(u"data_b"_s, index->at(0).key, DataType::Float32) });
        QVERIFY(data.has_value());
        QCOMPARE(data->at(0).key, ChannelKey(1048578));
        QCOMPARE(data->at(1).key, ChannelKey(1048579));
        QCOMPARE(data->at(1).name, u"data_b"_s);
    }

    void channelsSurviveARestart()
    {
        const auto index = *m_registry->create({ indexChannel(u"time_a"_s) });
        QVERIFY(m_registry->create({ dataChannel(u"press"_s, index[0].key) }).has_value());
        QVERIFY(
            m_registry->rename(std::vector<ChannelKey> { 1048578 }, { u"pressure"_s }).has_value());
        reopen();
        QCOMPARE(m_registry->all().size(), std::size_t(2));
        QCOMPARE(m_registry->find(1048578)->name, u"pressure"_s);
        // Keys keep counting after a restart; they are never reused.
        const auto next = m_registry->create({ dataChannel(u"temp"_s, index[0].key) });
        QCOMPARE(next->at(0).key, ChannelKey(1048579));
    }

    void validation_data()
    {
        QTest::addColumn<QString>("problem");
        QTest::newRow("bad name") << u"name"_s;
        QTest::newRow("duplicate name") << u"already exists"_s;
        QTest::newRow("index not timestamp") << u"timestamp"_s;
        QTest::newRow("virtual index") << u"cannot be virtual"_s;
        QTest::newRow("virtual with index") << u"cannot have an index"_s;
        QTest::newRow("data without index") << u"needs an index"_s;
        QTest::newRow("index is not an index") << u"is not an index"_s;
        QTest::newRow("no data type") << u"data type"_s;
    }
    void validation()
    {
        QFETCH(QString, problem);
        const ChannelKey time = m_registry->create({ indexChannel(u"time"_s) })->at(0).key;
        const ChannelKey value = m_registry->create({ dataChannel(u"value"_s, time) })->at(0).key;
        Channel c = dataChannel(u"new_channel"_s, time);
        const QString tag = QString::fromLatin1(QTest::currentDataTag());
        if (tag == u"bad name")
            c.name = u"1-bad name"_s;
        else if (tag == u"duplicate name")
            c.name = u"value"_s;
        else if (tag == u"index not timestamp")
            c = indexChannel(u"idx"_s), c.dataType = DataType::Int64;
        else if (tag == u"virtual index")
            c = indexChannel(u"idx"_s), c.isVirtual = true;
        else if (tag == u"virtual with index")
            c.isVirtual = true;
        else if (tag == u"data without index")
            c.index = 0;
        else if (tag == u"index is not an index")
            c.index = value;
        else if (tag == u"no data type")
            c.dataType = DataType();
        const auto created = m_registry->create({ c });
        QVERIFY(!created.has_value());
        QVERIFY(created.error().matches(errors::Validation));
        QVERIFY2(created.error().message.contains(problem), qPrintable(created.error().message));
        QCOMPARE(m_registry->all().size(), std::size_t(2));
    }

    void createIsAllOrNothing()
    {
        const auto created = m_registry->create({ indexChannel(u"t1"_s), indexChannel(u"t1"_s) });
        QVERIFY(!created.has_value());
        QVERIFY(m_registry->all().empty());
        const auto again = m_registry->create({ indexChannel(u"t1"_s) });
        QCOMPARE(again->at(0).key, ChannelKey(1048577));
    }

    void retrieveIfNameExists()
    {
        const auto first = *m_registry->create({ indexChannel(u"time"_s) });
        const auto second = m_registry->create({ indexChannel(u"time"_s) }, true);
        QVERIFY(second.has_value());
        QCOMPARE(second->at(0), first[0]);
        QCOMPARE(m_registry->all().size(), std::size_t(1));
    }

    void retrieveByKeysNamesAndSearch()
    {
        const ChannelKey time = m_registry->create({ indexChannel(u"stand_time"_s) })->at(0).key;
        QVERIFY(m_registry
                    ->create({ dataChannel(u"pt_oxidizer"_s, time),
                        dataChannel(u"pt_fuel"_s, time),
                        dataChannel(u"tc_fuel"_s, time) })
                    .has_value());
        const auto missing = m_registry->retrieveByKeys(std::vector<ChannelKey> { time, 5678 });
        QVERIFY(!missing.has_value());
        QCOMPARE(missing.error().type, errors::NotFound);
        QVERIFY(missing.error().message.contains(u"5678"_s));
        QCOMPARE(m_registry->retrieveByKeys(std::vector<ChannelKey> { time })->size(),
            std::size_t(1));
        const auto byName = m_registry->retrieveByNames({ u"pt_fuel"_s, u"nope"_s });
        QCOMPARE(byName.size(), std::size_t(1));
        QCOMPARE(byName[0].name, u"pt_fuel"_s);
        const auto found = m_registry->search(u"FUEL pt"_s);
        QCOMPARE(found.size(), std::size_t(1));
        QCOMPARE(m_registry->search(u"fuel"_s).size(), std::size_t(2));
    }

    void deleteProtectsIndexesInUse()
    {
        const ChannelKey time = m_registry->create({ indexChannel(u"time"_s) })->at(0).key;
        const ChannelKey value = m_registry->create({ dataChannel(u"value"_s, time) })->at(0).key;
        QVERIFY(!m_registry->remove(std::vector<ChannelKey> { time }).has_value());
        QVERIFY(m_registry->remove(std::vector<ChannelKey> { time, value }).has_value());
        QVERIFY(m_registry->all().empty());
        reopen();
        QVERIFY(m_registry->all().empty());
    }

    void calculatedChannelsReadExistingChannelsAndUpdateByKey()
    {
        const ChannelKey time = m_registry->create({ indexChannel(u"time"_s) })->at(0).key;
        const ChannelKey otherTime
            = m_registry->create({ indexChannel(u"other_time"_s) })->at(0).key;
        QVERIFY(m_registry->create({ dataChannel(u"a"_s, time),
            dataChannel(u"b"_s, time),
            dataChannel(u"c"_s, otherTime),
            dataChannel(u"label"_s, time, DataType::String) }));
        const auto calculated = [](const QString& name, const QString& expression) {
            Channel channel;
            channel.name = name;
            channel.dataType = DataType::Float64;
            channel.isVirtual = true;
            channel.expression = expression;
            return channel;
        };
        const auto refusal = [&](const Channel& channel) {
            const auto created = m_registry->create({ channel });
            return created ? QString() : created.error().type + u": "_s + created.error().message;
        };
        QVERIFY(
            refusal(calculated(u"missing"_s, u"return a + nowhere"_s))
                .contains(
                    u"sy.validation: channel 'missing': the expression reads channel 'nowhere', which does not exist"_s));
        QVERIFY(
            refusal(calculated(u"syntax"_s, u"return a +"_s)).contains(u"invalid expression"_s));
        QVERIFY(refusal(calculated(u"clocks"_s, u"a + c"_s)).contains(u"share one index"_s));
        QVERIFY(refusal(calculated(u"text"_s, u"label * 2"_s)).contains(u"not numbers"_s));
        QVERIFY(
            refusal(calculated(u"itself"_s, u"itself + 1"_s)).contains(u"cannot read itself"_s));
        Channel stored = calculated(u"stored"_s, u"a * 2"_s);
        stored.isVirtual = false;
        stored.index = time;
        QVERIFY(refusal(stored).contains(u"only a virtual channel"_s));
        // Inputs created in the same request count.
        Channel d = dataChannel(u"d"_s, time);
        const auto together = m_registry->create({ d, calculated(u"twice_d"_s, u"d * 2"_s) });
        QVERIFY2(together, qPrintable(together ? QString() : together.error().message));

        // Created again with its key, a calculated channel takes the new name and expression.
        const auto sum = m_registry->create({ calculated(u"sum"_s, u"return a + b"_s) });
        QVERIFY(sum);
        Channel renamed = calculated(u"total"_s, u"return (a + b) / 2"_s);
        renamed.key = sum->front().key;
        const auto updated = m_registry->create({ renamed });
        QVERIFY2(updated, qPrintable(updated ? QString() : updated.error().message));
        QCOMPARE(updated->front().key, sum->front().key);
        QCOMPARE(m_registry->find(sum->front().key)->name, u"total"_s);
        QCOMPARE(m_registry->find(sum->front().key)->expression, u"return (a + b) / 2"_s);
        QVERIFY(m_registry->retrieveByNames({ u"sum"_s }).empty());
        reopen();
        QCOMPARE(m_registry->find(sum->front().key)->name, u"total"_s);
        // Another channel's key is not an update.
        Channel clash = calculated(u"x"_s, u"a"_s);
        clash.key = time;
        QVERIFY(refusal(clash).contains(u"only a calculated channel's name and expression"_s));
        // Nor may the update take a name in use.
        renamed.name = u"a"_s;
        QVERIFY(refusal(renamed).contains(u"already exists"_s));
    }

    void renameValidates()
    {
        const ChannelKey time = m_registry->create({ indexChannel(u"time"_s) })->at(0).key;
        QVERIFY(m_registry->create({ dataChannel(u"a"_s, time) }).has_value());
        QVERIFY(!m_registry->rename(std::vector<ChannelKey> { time }, { u"a"_s }).has_value());
        QVERIFY(
            !m_registry->rename(std::vector<ChannelKey> { time }, { u"bad name"_s }).has_value());
        QCOMPARE(m_registry->rename(std::vector<ChannelKey> { 999 }, { u"x"_s }).error().type,
            errors::NotFound);
        QVERIFY(!m_registry->rename(std::vector<ChannelKey> { time }, {}).has_value());
    }
};

QTEST_GUILESS_MAIN(TestChannelRegistry)
#include "tst_channel_registry.moc"
