// Workspaces through the UI against the embedded cluster: a layout saved into a new
// workspace opens in a fresh window; saving keeps what another client (the Synnax Console)
// keeps in the same workspace; renames and deletes by another client show in the open dialog;
// a workspace without a Sightline layout says so.

#include "core/client/connection.h"
#include "core/client/workspace_client.h"
#include "core/feed/live_feed.h"
#include "core/server/embedded_cluster.h"
#include "ui/plot/live_plot.h"
#include "ui/shell/layout_file.h"
#include "ui/shell/main_window.h"
#include "ui/shell/workspaces_dialog.h"

#include <QListWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "support/window_session.h"

using namespace Qt::StringLiterals;
using namespace sightline;

class TestWorkspacesUi : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    core::server::EmbeddedCluster m_cluster;
    std::shared_ptr<core::client::Connection> m_connection;
    std::vector<core::Channel> m_channels;

    test::WindowSession open() { return test::openWindow(m_connection, m_channels); }

    core::ChannelKey keyOf(const QString& name) const
    {
        for (const core::Channel& channel : m_channels)
            if (channel.name == name)
                return channel.key;
        return 0;
    }

    static QStringList listed(const ui::WorkspacesDialog& dialog)
    {
        QStringList names;
        for (const core::Workspace& workspace : dialog.workspaces())
            names << workspace.name;
        return names;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        core::server::ClusterConfig config;
        config.dataDir = m_dir.path();
        config.simulator->fastRate = 100;
        QVERIFY(m_cluster.start(config));
        core::client::ConnectionConfig connection;
        connection.port = m_cluster.port();
        m_connection = std::make_shared<core::client::Connection>(connection);
        auto channels = m_connection->searchChannels(QString());
        QVERIFY(channels);
        m_channels = *channels;
    }

    void aLayoutSavedIntoAWorkspaceOpensInAFreshWindow()
    {
        QUuid key;
        ui::LayoutFile saved;
        {
            test::WindowSession first = open();
            QVERIFY(first.window);
            first.window->addChannelsToPlot(first.window->currentPlot(),
                { keyOf(u"stand_pt_chamber"_s), keyOf(u"stand_thrust"_s) });
            first.window->addPlot();
            first.window->addChannelsToPlot(first.window->plots().back(),
                { keyOf(u"stand_tc_nozzle"_s) },
                1);
            ui::WorkspacesDialog* dialog = first.window->showWorkspaces();
            QVERIFY(dialog);
            const auto created = dialog->createWorkspace(u"Hot fire A"_s);
            QVERIFY2(created, qPrintable(created ? QString() : created.error().message));
            key = *created;
            QTRY_VERIFY_WITH_TIMEOUT(listed(*dialog).contains(u"Hot fire A"_s), 5000);
            saved = first.window->currentLayout();
            dialog->close();
        }
        test::WindowSession second = open();
        QVERIFY(second.window);
        ui::WorkspacesDialog* dialog = second.window->showWorkspaces();
        QVERIFY(dialog);
        QVERIFY(dialog->openWorkspace(key));
        QCOMPARE(second.window->currentLayout().plots, saved.plots);
        QCOMPARE(second.window->plots().size(), std::size_t(2));
        QCOMPARE(second.window->plots().back()->channelAxis(keyOf(u"stand_tc_nozzle"_s)), 1);
        dialog->close();
    }

    void savingKeepsWhatAnotherClientKeepsThere()
    {
        core::client::WorkspaceClient workspaces(*m_connection);
        core::Workspace console;
        console.name = u"Console's"_s;
        console.layout = QJsonObject { { u"mosaic"_s, QJsonObject { { u"key"_s, 1 } } },
            { u"layoutVersion"_s, u"v5"_s } };
        const auto created = workspaces.create({ console });
        QVERIFY(created);
        const QUuid key = created->front().key;
        test::WindowSession session = open();
        QVERIFY(session.window);
        ui::WorkspacesDialog* dialog = session.window->showWorkspaces();
        QVERIFY(dialog);
        const auto opened = dialog->openWorkspace(key);
        QVERIFY(!opened); // nothing of ours there yet: said, not guessed
        QVERIFY2(opened.error().message.contains(u"no Sightline layout"_s),
            qPrintable(opened.error().message));
        QVERIFY(dialog->saveInto(key));
        const auto after = workspaces.retrieve(key);
        QVERIFY(after);
        QCOMPARE(after->layout.value(u"mosaic"_s).toObject().value(u"key"_s).toInt(), 1);
        QCOMPARE(after->layout.value(u"layoutVersion"_s).toString(), u"v5"_s);
        QVERIFY(after->layout.value(u"sightline"_s).isObject());
        QVERIFY(dialog->openWorkspace(key)); // ours now
        dialog->close();
    }

    void renamesAndDeletesByAnotherClientShowInTheDialog()
    {
        test::WindowSession session = open();
        QVERIFY(session.window);
        ui::WorkspacesDialog* dialog = session.window->showWorkspaces();
        QVERIFY(dialog);
        const auto created = dialog->createWorkspace(u"Cold flow"_s);
        QVERIFY(created);
        QTRY_VERIFY_WITH_TIMEOUT(listed(*dialog).contains(u"Cold flow"_s), 5000);
        core::client::WorkspaceClient other(*m_connection); // as another client would
        QVERIFY(other.rename(*created, u"Cold flow 2"_s));
        QTRY_VERIFY_WITH_TIMEOUT(listed(*dialog).contains(u"Cold flow 2"_s), 3000);
        QVERIFY(!listed(*dialog).contains(u"Cold flow"_s));
        const QUuid keys[] = { *created };
        QVERIFY(other.remove(keys));
        QTRY_VERIFY_WITH_TIMEOUT(!listed(*dialog).contains(u"Cold flow 2"_s), 3000);
        auto* list = dialog->findChild<QListWidget*>(u"workspaces"_s);
        QVERIFY(list);
        QCOMPARE(list->count(), static_cast<int>(dialog->workspaces().size()));
        QVERIFY(dialog->grab().save(u"workspaces-dialog.png"_s));
        dialog->close();
    }

    void renameAndDeleteFromTheDialog()
    {
        test::WindowSession session = open();
        QVERIFY(session.window);
        ui::WorkspacesDialog* dialog = session.window->showWorkspaces();
        QVERIFY(dialog);
        const auto created = dialog->createWorkspace(u"Scratch"_s);
        QVERIFY(created);
        QVERIFY(dialog->renameWorkspace(*created, u"Scratch renamed"_s));
        core::client::WorkspaceClient workspaces(*m_connection);
        QCOMPARE(workspaces.retrieve(*created)->name, u"Scratch renamed"_s);
        QVERIFY(dialog->deleteWorkspace(*created));
        const auto gone = workspaces.retrieve(*created);
        QVERIFY(!gone);
        QVERIFY(gone.error().matches(core::errors::NotFound));
        QVERIFY(!dialog->renameWorkspace(*created, u"x"_s)); // not there any more: said
        dialog->close();
    }
};

QTEST_MAIN(TestWorkspacesUi)
#include "tst_workspaces_ui.moc"
