#include "common/early_command_line.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace sightline::app {

std::optional<int> handleEarlyCommandLine(
    QCommandLineParser& parser, int argc, char* argv[], const QString& versionLine)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const QByteArray name = QCoreApplication::applicationName().toLocal8Bit();
    if (!parser.parse(arguments)) {
        std::fprintf(stderr,
            "%s: %s\nTry --help.\n",
            name.constData(),
            parser.errorText().toLocal8Bit().constData());
        return 2;
    }
    if (parser.isSet(u"help"_s)) {
        // Without a QCoreApplication yet, Qt names the program "<executable_name>".
        QString help = parser.helpText();
        help.replace(u"<executable_name>"_s, QFileInfo(arguments.value(0)).fileName());
        std::fputs(help.toLocal8Bit().constData(), stdout);
        return 0;
    }
    if (parser.isSet(u"version"_s)) {
        std::printf("%s\n", versionLine.toLocal8Bit().constData());
        return 0;
    }
    return std::nullopt;
}

} // namespace sightline::app
