#include "core/server/calculation/expression.h"

#include <QChar>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

/// Recursive descent over the grammar
///   program := ['return'] sum
///   sum     := product (('+' | '-') product)*
///   product := unary (('*' | '/') unary)*
///   unary   := ('-' | '+') unary | primary
///   primary := number | name | '(' sum ')'
/// emitting postfix operations.
class ExpressionParser
{
public:
    explicit ExpressionParser(QStringView source)
        : m_source(source)
    {
    }

    Result<Expression> parse()
    {
        skipSpace();
        if (m_source.mid(m_at).startsWith(u"return") && !isNameChar(charAt(m_at + 6))) {
            m_at += 6;
            skipSpace();
        }
        if (m_at >= m_source.size())
            return problem(u"it is empty: write arithmetic over channels, e.g. return a + b"_s);
        if (auto ok = sum(); !ok)
            return tl::unexpected(ok.error());
        skipSpace();
        if (m_at < m_source.size())
            return problem(u"unexpected '%1'"_s.arg(m_source[m_at]));
        return std::move(m_expression);
    }

private:
    using Kind = Expression::Operation::Kind;

    Result<void> sum()
    {
        if (auto ok = product(); !ok)
            return ok;
        while (true) {
            skipSpace();
            const QChar op = charAt(m_at);
            if (op != u'+' && op != u'-')
                return {};
            ++m_at;
            if (auto ok = product(); !ok)
                return ok;
            emit(op == u'+' ? Kind::Add : Kind::Subtract);
        }
    }

    Result<void> product()
    {
        if (auto ok = unary(); !ok)
            return ok;
        while (true) {
            skipSpace();
            const QChar op = charAt(m_at);
            if (op != u'*' && op != u'/')
                return {};
            ++m_at;
            if (auto ok = unary(); !ok)
                return ok;
            emit(op == u'*' ? Kind::Multiply : Kind::Divide);
        }
    }

    Result<void> unary()
    {
        skipSpace();
        const QChar sign = charAt(m_at);
        if (sign == u'-' || sign == u'+') {
            ++m_at;
            if (++m_depth > MaxDepth)
                return tooDeep();
            auto ok = unary();
            --m_depth;
            if (ok && sign == u'-')
                emit(Kind::Negate);
            return ok;
        }
        return primary();
    }

    Result<void> primary()
    {
        skipSpace();
        const QChar c = charAt(m_at);
        if (c == u'(') {
            ++m_at;
            if (++m_depth > MaxDepth)
                return tooDeep();
            if (auto ok = sum(); !ok)
                return ok;
            --m_depth;
            skipSpace();
            if (charAt(m_at) != u')')
                return problem(u"a ')' is missing"_s);
            ++m_at;
            return {};
        }
        if (c.isDigit() || (c == u'.' && charAt(m_at + 1).isDigit()))
            return number();
        if (c.isLetter() || c == u'_')
            return name();
        if (m_at >= m_source.size())
            return problem(u"it ends where a value is expected"_s);
        return problem(u"a channel name, a number or '(' is expected, not '%1'"_s.arg(c));
    }

    Result<void> number()
    {
        const qsizetype start = m_at;
        while (charAt(m_at).isDigit() || charAt(m_at) == u'.')
            ++m_at;
        if ((charAt(m_at) == u'e' || charAt(m_at) == u'E')
            && (charAt(m_at + 1).isDigit()
                || ((charAt(m_at + 1) == u'-' || charAt(m_at + 1) == u'+')
                    && charAt(m_at + 2).isDigit()))) {
            m_at += 2;
            while (charAt(m_at).isDigit())
                ++m_at;
        }
        bool valid = false;
        const double value = m_source.mid(start, m_at - start).toDouble(&valid);
        if (!valid)
            return problemAt(start,
                u"'%1' is not a number"_s.arg(m_source.mid(start, m_at - start)));
        m_expression.m_program.push_back({ Kind::Constant, value, 0 });
        return {};
    }

    Result<void> name()
    {
        const qsizetype start = m_at;
        while (isNameChar(charAt(m_at)))
            ++m_at;
        const QString channel = m_source.mid(start, m_at - start).toString();
        if (channel == u"return")
            return problemAt(start, u"'return' may only begin the expression"_s);
        qsizetype input = m_expression.m_inputs.indexOf(channel);
        if (input < 0) {
            input = m_expression.m_inputs.size();
            m_expression.m_inputs.append(channel);
        }
        m_expression.m_program.push_back({ Kind::Input, 0, int(input) });
        return {};
    }

    void emit(Kind kind) { m_expression.m_program.push_back({ kind, 0, 0 }); }

    void skipSpace()
    {
        while (charAt(m_at).isSpace())
            ++m_at;
    }

    QChar charAt(qsizetype at) const { return at < m_source.size() ? m_source[at] : QChar(); }
    static bool isNameChar(QChar c) { return c.isLetterOrNumber() || c == u'_'; }

    tl::unexpected<Error> problem(const QString& why) const { return problemAt(m_at, why); }
    tl::unexpected<Error> problemAt(qsizetype at, const QString& why) const
    {
        return tl::unexpected(Error { errors::Validation,
            u"invalid expression at character %1: %2"_s.arg(at + 1).arg(why) });
    }
    tl::unexpected<Error> tooDeep() const
    {
        return problem(u"it nests deeper than %1 levels"_s.arg(MaxDepth));
    }

    /// Bounds the recursion, so a hostile expression cannot exhaust the stack.
    static constexpr int MaxDepth = 256;
    QStringView m_source;
    qsizetype m_at = 0;
    int m_depth = 0;
    Expression m_expression;
};

Result<Expression> Expression::parse(QStringView source)
{
    return ExpressionParser(source).parse();
}

std::vector<double> Expression::evaluate(std::span<const std::vector<double>> columns,
    std::size_t count) const
{
    std::vector<std::vector<double>> stack;
    for (const Operation& op : m_program) {
        switch (op.kind) {
        case Operation::Kind::Constant:
            stack.emplace_back(count, op.constant);
            break;
        case Operation::Kind::Input: {
            const std::vector<double>& column = columns[std::size_t(op.input)];
            stack.emplace_back(column.begin(), column.begin() + std::ptrdiff_t(count));
            break;
        }
        case Operation::Kind::Negate:
            for (double& value : stack.back())
                value = -value;
            break;
        default: {
            std::vector<double> right = std::move(stack.back());
            stack.pop_back();
            std::vector<double>& left = stack.back();
            for (std::size_t i = 0; i < count; ++i) {
                switch (op.kind) {
                case Operation::Kind::Add:
                    left[i] += right[i];
                    break;
                case Operation::Kind::Subtract:
                    left[i] -= right[i];
                    break;
                case Operation::Kind::Multiply:
                    left[i] *= right[i];
                    break;
                default:
                    left[i] /= right[i];
                    break;
                }
            }
        }
        }
    }
    return stack.empty() ? std::vector<double>(count, 0.0) : std::move(stack.back());
}

} // namespace sightline::core::server
