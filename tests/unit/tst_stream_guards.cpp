// The pieces that bound what a stream may do, alone: the frame scanner that finds an
// unmasked client frame however the bytes are split, and the live streams' backlog budget.

#include "core/server/backlog_budget.h"
#include "core/server/http_scanner.h"

#include <QTest>

using namespace sightline::core::server;

namespace {

/// A client frame's bytes with a payload of `length` bytes.
QByteArray frame(qint64 length, bool masked)
{
    QByteArray bytes;
    bytes.append(char(0x82));
    const char mask = masked ? char(0x80) : char(0);
    if (length < 126) {
        bytes.append(char(mask | char(length)));
    } else if (length < 65536) {
        bytes.append(char(mask | 126));
        bytes.append(char(length >> 8));
        bytes.append(char(length & 0xff));
    } else {
        bytes.append(char(mask | 127));
        for (int i = 7; i >= 0; --i)
            bytes.append(char((length >> (8 * i)) & 0xff));
    }
    if (masked)
        bytes.append("\x01\x02\x03\x04", 4);
    // A payload full of bytes that would read as unmasked headers if taken for one.
    bytes.append(QByteArray(length, char(0x02)));
    return bytes;
}

bool feedInPieces(const QByteArray& bytes, qsizetype piece)
{
    WebSocketFrameScanner scanner;
    for (qsizetype at = 0; at < bytes.size(); at += piece)
        if (!scanner.feed(bytes.constData() + at, std::min(piece, bytes.size() - at)))
            return false;
    return true;
}

/// Stands for a session: the budget only compares addresses.
StreamSession* session(int n) { return reinterpret_cast<StreamSession*>(std::uintptr_t(n) * 16); }

} // namespace

class TestStreamGuards : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void maskedFramesOfEveryLengthFormPassHoweverSplit()
    {
        const QByteArray stream = frame(0, true) + frame(125, true) + frame(126, true)
            + frame(70000, true) + frame(3, true);
        for (const qsizetype piece : { 1, 2, 3, 7, 1000, 1 << 20 })
            QVERIFY2(feedInPieces(stream, piece), qPrintable(QString::number(piece)));
    }

    void anUnmaskedFrameAfterMaskedOnesIsFound()
    {
        const QByteArray stream = frame(126, true) + frame(70000, true) + frame(5, false);
        for (const qsizetype piece : { 1, 5, 4096, 1 << 20 })
            QVERIFY2(!feedInPieces(stream, piece), qPrintable(QString::number(piece)));
        QVERIFY(!feedInPieces(frame(0, false), 1));
    }

    void theBudgetNamesTheStreamFurthestBehindOnceOverItsLimit()
    {
        BacklogBudget budget(100);
        QCOMPARE(budget.charge(session(1), 40), nullptr);
        QCOMPARE(budget.charge(session(2), 10), nullptr);
        QCOMPARE(budget.charge(session(1), 60), nullptr); // replaces its 40: 70 in all
        QCOMPARE(budget.total(), 70);
        QCOMPARE(budget.charge(session(3), 35), session(1)); // 105: the one holding 60
        budget.release(session(1));
        QCOMPARE(budget.total(), 45);
        QCOMPARE(budget.charge(session(2), 0), nullptr);
        QCOMPARE(budget.total(), 35);
        budget.release(session(9)); // unknown: nothing happens
        QCOMPARE(budget.total(), 35);
    }
};

QTEST_GUILESS_MAIN(TestStreamGuards)
#include "tst_stream_guards.moc"
