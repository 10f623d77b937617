#pragma once

#include "core/error.h"

#include <QString>
#include <QStringList>

#include <span>
#include <vector>

namespace sightline::core::server {

/// A calculated channel's expression, as Synnax's clients write them: arithmetic over other
/// channels (by name) and constants, with `+ - * /`, parentheses and unary minus, optionally
/// after `return` (`return (a * 2) + (b / 2)`). Parsed once into postfix operations and then
/// evaluated a whole column of samples at a time.
class Expression
{
public:
    /// `sy.validation` naming what is wrong and where (1-based character position).
    [[nodiscard]] static Result<Expression> parse(QStringView source);

    /// The channel names it reads, in order of first use, each once.
    [[nodiscard]] const QStringList& inputs() const { return m_inputs; }
    /// The value for each sample: `columns[i]` holds input i's samples (all as long as
    /// `count`). IEEE arithmetic: a division by zero gives ±inf or NaN, as in Synnax.
    [[nodiscard]] std::vector<double> evaluate(std::span<const std::vector<double>> columns,
        std::size_t count) const;

private:
    struct Operation
    {
        enum class Kind { Constant, Input, Add, Subtract, Multiply, Divide, Negate };
        Kind kind;
        double constant = 0; ///< Constant
        int input = 0; ///< Input: index into inputs()
    };
    friend class ExpressionParser;

    std::vector<Operation> m_program;
    QStringList m_inputs;
};

} // namespace sightline::core::server
