#include "core/error.h"

namespace sightline::core {

bool Error::matches(QStringView prefix) const
{
    if (!type.startsWith(prefix))
        return false;
    return type.size() == prefix.size() || type.at(prefix.size()) == u'.';
}

QString Error::toString() const
{
    if (message.isEmpty())
        return type;
    return type + QStringLiteral(": ") + message;
}

} // namespace sightline::core
