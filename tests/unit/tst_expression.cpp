// Calculated channel expressions: what parses, in which order it evaluates, and the errors a
// user sees for what does not.

#include "core/server/calculation/expression.h"

#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::server;

class TestExpression : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void evaluatesArithmeticWithPrecedence_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<double>("expected"); // with a = 3, b = 4
        QTest::newRow("sum") << u"return a + b"_s << 7.0;
        QTest::newRow("precedence") << u"a + b * 2"_s << 11.0;
        QTest::newRow("left to right") << u"a - b - 1"_s << -2.0;
        QTest::newRow("division left to right") << u"b / 2 / 2"_s << 1.0;
        QTest::newRow("parentheses") << u"return (a * 2) + (b / 2)"_s << 8.0;
        QTest::newRow("nested parentheses") << u"((a + b) * (a - b))"_s << -7.0;
        QTest::newRow("unary minus") << u"-a * -b"_s << 12.0;
        QTest::newRow("unary minus of a group") << u"-(a + b)"_s << -7.0;
        QTest::newRow("unary plus") << u"+a"_s << 3.0;
        QTest::newRow("constant") << u"return 1"_s << 1.0;
        QTest::newRow("decimal and exponent") << u"a * 0.5 + 1.5e1"_s << 16.5;
        QTest::newRow("negative exponent") << u"b * 25e-2"_s << 1.0;
        QTest::newRow("spaces and new lines") << u"  return\n a\t+\nb  "_s << 7.0;
        QTest::newRow("a name starting with return") << u"returned + a"_s << 13.0;
    }
    void evaluatesArithmeticWithPrecedence()
    {
        QFETCH(QString, source);
        QFETCH(double, expected);
        const auto expression = Expression::parse(source);
        QVERIFY2(expression, qPrintable(expression ? QString() : expression.error().message));
        std::vector<std::vector<double>> columns;
        for (const QString& input : expression->inputs())
            columns.push_back({ input == u"a" ? 3.0 : input == u"b" ? 4.0 : 10.0 });
        const std::vector<double> values = expression->evaluate(columns, 1);
        QCOMPARE(values.size(), std::size_t(1));
        QCOMPARE(values[0], expected);
    }

    void inputsAreNamedOnceInOrderOfUse()
    {
        const auto expression = Expression::parse(u"return b_2 * a1 + b_2 - _c"_s);
        QVERIFY(expression);
        QCOMPARE(expression->inputs(), (QStringList { u"b_2"_s, u"a1"_s, u"_c"_s }));
    }

    void evaluatesWholeColumns()
    {
        const auto expression = Expression::parse(u"a / b"_s);
        QVERIFY(expression);
        const std::vector<std::vector<double>> columns { { 1, 2, 3, 0 }, { 2, 0, -3, 0 } };
        const std::vector<double> values = expression->evaluate(columns, 4);
        QCOMPARE(values[0], 0.5);
        QVERIFY(std::isinf(values[1]) && values[1] > 0); // IEEE, not an error
        QCOMPARE(values[2], -1.0);
        QVERIFY(std::isnan(values[3]));
    }

    void badExpressionsSayWhatAndWhere_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("problem");
        QTest::newRow("empty") << u""_s << u"it is empty"_s;
        QTest::newRow("only return") << u"return "_s << u"it is empty"_s;
        QTest::newRow("missing operand") << u"a +"_s << u"character 4: it ends where a value"_s;
        QTest::newRow("unclosed parenthesis") << u"(a + b"_s << u"a ')' is missing"_s;
        QTest::newRow("stray parenthesis") << u"a + b)"_s << u"character 6: unexpected ')'"_s;
        QTest::newRow("unknown operator") << u"a ^ b"_s << u"character 3: unexpected '^'"_s;
        QTest::newRow("two values") << u"a b"_s << u"unexpected 'b'"_s;
        QTest::newRow("bad number") << u"1.2.3"_s << u"'1.2.3' is not a number"_s;
        QTest::newRow("return inside") << u"a + return"_s << u"'return' may only begin"_s;
        QTest::newRow("operator first") << u"* a"_s << u"a channel name, a number or '('"_s;
        QTest::newRow("too deep") << QString(300, u'(') + u"a"_s + QString(300, u')')
                                  << u"deeper than 256"_s;
        QTest::newRow("too many signs") << QString(300, u'-') + u"a"_s << u"deeper than 256"_s;
    }
    void badExpressionsSayWhatAndWhere()
    {
        QFETCH(QString, source);
        QFETCH(QString, problem);
        const auto expression = Expression::parse(source);
        QVERIFY(!expression);
        QCOMPARE(expression.error().type, errors::Validation);
        QVERIFY2(expression.error().message.contains(problem),
            qPrintable(expression.error().message));
    }
};

QTEST_GUILESS_MAIN(TestExpression)
#include "tst_expression.moc"
