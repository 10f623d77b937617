#pragma once

// sightline-server as a child process, for tests that kill, signal or starve it.

#include <QProcess>
#include <QRegularExpression>

#include "support/cluster_test_client.h"

namespace sightline::test {

/// A running sightline-server (SIGHTLINE_SERVER_BINARY), optionally started through a
/// wrapper command such as `prlimit --fsize=N --`.
class ServerProcess
{
public:
    bool start(const QString& dataDir,
        const QStringList& extra = { QStringLiteral("--no-sim") },
        const QStringList& wrapper = {},
        const QString& listen = QStringLiteral("127.0.0.1:0"))
    {
        QStringList arguments { QStringLiteral("--listen"),
            listen,
            QStringLiteral("--data-dir"),
            dataDir };
        arguments += extra;
        if (wrapper.isEmpty()) {
            m_process.setProgram(QStringLiteral(SIGHTLINE_SERVER_BINARY));
        } else {
            m_process.setProgram(wrapper.front());
            arguments = wrapper.mid(1) + QStringList { QStringLiteral(SIGHTLINE_SERVER_BINARY) }
                + arguments;
        }
        m_process.setArguments(arguments);
        m_output.clear();
        m_errors.clear();
        m_process.start();
        if (!m_process.waitForStarted(5000))
            return false;
        static const QRegularExpression listening(
            QStringLiteral("listening on 127\\.0\\.0\\.1:(\\d+)"));
        waitUntil(
            [&] {
                readOutput();
                return listening.match(QString::fromUtf8(m_output)).hasMatch()
                    || m_process.state() == QProcess::NotRunning;
            },
            10000);
        const auto match = listening.match(QString::fromUtf8(m_output));
        m_port = match.hasMatch() ? quint16(match.captured(1).toUInt()) : 0;
        return m_port != 0;
    }
    void kill()
    {
        m_process.kill(); // SIGKILL: no shutdown code runs
        m_process.waitForFinished(5000);
    }
    void terminate()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            kill();
    }
    /// Runs to completion (for start-ups expected to fail); returns the exit code.
    int runToExit(const QStringList& arguments, QString* errorOutput)
    {
        m_process.setProgram(QStringLiteral(SIGHTLINE_SERVER_BINARY));
        m_process.setArguments(arguments);
        m_process.start();
        m_process.waitForFinished(10000);
        *errorOutput = QString::fromUtf8(m_process.readAllStandardError());
        return m_process.exitCode();
    }
    ~ServerProcess()
    {
        if (m_process.state() != QProcess::NotRunning)
            kill();
    }
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] qint64 pid() const { return m_process.processId(); }
    [[nodiscard]] bool running() const { return m_process.state() == QProcess::Running; }
    [[nodiscard]] QProcess& process() { return m_process; }
    /// Everything the server printed to stderr so far.
    [[nodiscard]] QString errors()
    {
        readOutput();
        return QString::fromUtf8(m_errors);
    }

private:
    void readOutput()
    {
        m_output += m_process.readAllStandardOutput();
        m_errors += m_process.readAllStandardError();
    }

    QProcess m_process;
    QByteArray m_output;
    QByteArray m_errors;
    quint16 m_port = 0;
};

} // namespace sightline::test
