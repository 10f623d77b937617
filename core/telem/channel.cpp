#include "core/telem/channel.h"

namespace sightline::core {

namespace {

    bool isNameStart(QChar c)
    {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
    }

} // namespace

bool isValidChannelName(QStringView name)
{
    if (name.isEmpty() || name.size() > MaxChannelNameLength || !isNameStart(name.front()))
        return false;
    for (QChar c : name) {
        if (!isNameStart(c) && !(c >= u'0' && c <= u'9'))
            return false;
    }
    return true;
}

} // namespace sightline::core
