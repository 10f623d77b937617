#pragma once

#include <QCommandLineParser>
#include <QString>

#include <optional>

namespace sightline::app {

/// Parses argv before any QCoreApplication exists, so `--help` and `--version` work without
/// a display. Prints help or `versionLine` and returns the exit code when the process should
/// stop (0, or 2 with a message for an unknown option); nullopt to go on.
[[nodiscard]] std::optional<int> handleEarlyCommandLine(
    QCommandLineParser& parser, int argc, char* argv[], const QString& versionLine);

} // namespace sightline::app
