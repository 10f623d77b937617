#include "core/error.h"

#include <QTest>

using namespace Qt::StringLiterals;
using sightline::core::Error;

class TestError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesByPrefix_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<bool>("matches");
        QTest::newRow("exact") << u"sy.query"_s << u"sy.query"_s << true;
        QTest::newRow("child") << u"sy.query.not_found"_s << u"sy.query"_s << true;
        QTest::newRow("root") << u"sy.query.not_found"_s << u"sy"_s << true;
        QTest::newRow("partial segment") << u"sy.query"_s << u"sy.que"_s << false;
        QTest::newRow("parent is not child") << u"sy.query"_s << u"sy.query.not_found"_s << false;
        QTest::newRow("hyphenated") << u"sy.auth.invalid-credentials"_s << u"sy.auth"_s << true;
        QTest::newRow("other") << u"freighter.eof"_s << u"sy"_s << false;
    }
    void matchesByPrefix()
    {
        QFETCH(QString, type);
        QFETCH(QString, prefix);
        QFETCH(bool, matches);
        QCOMPARE((Error { type, u"m"_s }.matches(prefix)), matches);
    }

    void toStringJoinsTypeAndMessage()
    {
        QCOMPARE((Error { u"sy.validation"_s, u"bad"_s }.toString()), u"sy.validation: bad"_s);
        QCOMPARE((Error { u"freighter.eof"_s, {} }.toString()), u"freighter.eof"_s);
    }
};

QTEST_APPLESS_MAIN(TestError)
#include "tst_error.moc"
