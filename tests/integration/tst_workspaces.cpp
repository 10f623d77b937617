// Workspaces on the embedded cluster through its unary `workspace/*` endpoints, as Synnax's
// clients call them: create (layouts kept exactly), find, rename, relay out, delete; the
// change signals a follower sees; and the workspaces again after the cluster restarts.

#include "core/client/connection.h"
#include "core/client/streamer.h"
#include "core/server/embedded_cluster.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace sightline::core;

namespace {

QString keyText(const QUuid& key) { return key.toString(QUuid::WithoutBraces); }

/// A layout as a client keeps it: keys in every case, nested objects and arrays. Synnax's
/// spec checks exactly these survive (no snake_case conversion on the way).
QJsonObject mixedCaseLayout()
{
    return QJsonObject {
        { u"camelCaseKey"_s, 1 },
        { u"PascalCaseKey"_s, u"two"_s },
        { u"snake_case_key"_s, true },
        { u"nestedPanes"_s,
            QJsonObject { { u"plotKey"_s, u"a1"_s },
                { u"Traces"_s,
                    QJsonArray { QJsonObject { { u"channelName"_s, u"pt_1"_s },
                        { u"Line_Width"_s, 2 } } } } } },
    };
}

QJsonObject workspaceRequest(
    const QString& name, const QJsonObject& layout = {}, const QUuid& key = {})
{
    QJsonObject workspace { { u"name"_s, name }, { u"layout"_s, layout } };
    if (!key.isNull())
        workspace.insert(u"key"_s, keyText(key));
    return workspace;
}

QJsonObject createRequest(const QJsonArray& workspaces)
{
    return QJsonObject { { u"workspaces"_s, workspaces } };
}

QJsonObject keysRequest(const std::vector<QUuid>& keys)
{
    QJsonArray list;
    for (const QUuid& key : keys)
        list.append(keyText(key));
    return QJsonObject { { u"keys"_s, list } };
}

QString errorText(const Result<QJsonObject>& result)
{
    return result ? QString() : result.error().toString();
}

/// The `workspaces` of a response, as objects.
std::vector<QJsonObject> workspacesIn(const Result<QJsonObject>& response)
{
    std::vector<QJsonObject> out;
    if (response)
        for (const QJsonValue& workspace : response->value(u"workspaces").toArray())
            out.push_back(workspace.toObject());
    return out;
}

QStringList namesIn(const Result<QJsonObject>& response)
{
    QStringList names;
    for (const QJsonObject& workspace : workspacesIn(response))
        names.append(workspace.value(u"name").toString());
    return names;
}

QUuid keyOf(const QJsonObject& workspace) { return QUuid(workspace.value(u"key").toString()); }

/// The embedded cluster (no simulated stand) on a data directory that outlives restarts.
struct WorkspaceCluster
{
    QTemporaryDir dir;
    server::EmbeddedCluster cluster;
    std::shared_ptr<client::Connection> connection;

    bool start()
    {
        server::ClusterConfig config;
        config.dataDir = dir.path();
        config.simulator.reset();
        const auto port = cluster.start(config);
        if (!port)
            return false;
        client::ConnectionConfig connectionConfig;
        connectionConfig.port = *port;
        connection = std::make_shared<client::Connection>(connectionConfig);
        return true;
    }
    void stop()
    {
        connection.reset();
        cluster.stop();
    }
    Result<QJsonObject> call(QStringView target, const QJsonObject& request)
    {
        return connection->call(target, request);
    }
    /// The key auth/login gives the logged-in user.
    QUuid userKey()
    {
        const auto login = call(u"auth/login",
            QJsonObject { { u"username"_s, u"synnax"_s }, { u"password"_s, u"seldon"_s } });
        return login ? QUuid(login->value(u"user").toObject().value(u"key").toString()) : QUuid();
    }
};

} // namespace

class TestWorkspaces : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aCreatedWorkspaceGetsAKeyAnAuthorAndKeepsItsLayoutExactly()
    {
        WorkspaceCluster stand;
        QVERIFY(stand.start());
        const QUuid user = stand.userKey();
        QVERIFY(!user.isNull());

        const auto created = stand.call(u"workspace/create",
            createRequest({ workspaceRequest(u"Test stand"_s, mixedCaseLayout()) }));
        QVERIFY2(created, qPrintable(errorText(created)));
        const auto workspaces = workspacesIn(created);
        QCOMPARE(workspaces.size(), std::size_t(1));
        const QJsonObject made = workspaces.front();
        const QUuid key = keyOf(made);
        QVERIFY(!key.isNull());
        QCOMPARE(made.value(u"name").toString(), u"Test stand"_s);
        QCOMPARE(QUuid(made.value(u"author").toString()), user);
        QCOMPARE(made.value(u"layout").toObject(), mixedCaseLayout());

        // Read back from the cluster, the layout's keys are still as written.
        const auto found = stand.call(u"workspace/retrieve", keysRequest({ key }));
        QVERIFY2(found, qPrintable(errorText(found)));
        QCOMPARE(workspacesIn(found).size(), std::size_t(1));
        const QJsonObject layout = workspacesIn(found).front().value(u"layout").toObject();
        QCOMPARE(layout, mixedCaseLayout());
        QVERIFY(layout.contains(u"camelCaseKey"));
        QVERIFY(!layout.contains(u"camel_case_key"));
        QCOMPARE(layout.value(u"nestedPanes")
                     .toObject()
                     .value(u"Traces")
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(u"Line_Width")
                     .toInt(),
            2);

        // It is an ontology resource too (by ID; the data leaves the layout out).
        const QJsonObject id { { u"type"_s, u"workspace"_s }, { u"key"_s, keyText(key) } };
        const auto resource
            = stand.call(u"ontology/retrieve", QJsonObject { { u"ids"_s, QJsonArray { id } } });
        QVERIFY2(resource, qPrintable(errorText(resource)));
        const QJsonArray resources = resource->value(u"resources").toArray();
        QCOMPARE(resources.size(), 1);
        QCOMPARE(resources.at(0).toObject().value(u"name").toString(), u"Test stand"_s);
        QVERIFY(!resources.at(0).toObject().value(u"data").toObject().contains(u"layout"));

        // A key given is kept; creating again with it replaces that workspace.
        const QUuid chosen = QUuid::createUuid();
        const auto withKey = stand.call(u"workspace/create",
            createRequest({ workspaceRequest(u"Chosen"_s, {}, chosen) }));
        QVERIFY2(withKey, qPrintable(errorText(withKey)));
        QCOMPARE(keyOf(workspacesIn(withKey).front()), chosen);
        const QJsonObject replacementLayout { { u"Replaced"_s, true } };
        QVERIFY(stand.call(u"workspace/create",
            createRequest({ workspaceRequest(u"Chosen again"_s, replacementLayout, chosen) })));
        const auto replaced = stand.call(u"workspace/retrieve", keysRequest({ chosen }));
        QCOMPARE(namesIn(replaced), QStringList { u"Chosen again"_s });
        QCOMPARE(workspacesIn(replaced).front().value(u"layout").toObject(), replacementLayout);
        QCOMPARE(namesIn(stand.call(u"workspace/retrieve", {})),
            (QStringList { u"Chosen again"_s, u"Test stand"_s }));

        // Synnax's TypeScript client sends the layout as JSON text: it is kept as the object.
        const QByteArray text = QJsonDocument(mixedCaseLayout()).toJson(QJsonDocument::Compact);
        const auto fromText = stand.call(u"workspace/create",
            createRequest({ QJsonObject { { u"name"_s, u"From text"_s },
                { u"layout"_s, QString::fromUtf8(text) } } }));
        QVERIFY2(fromText, qPrintable(errorText(fromText)));
        QCOMPARE(workspacesIn(fromText).front().value(u"layout").toObject(), mixedCaseLayout());
    }

    void workspacesAreFoundByKeysSearchTermAndPage()
    {
        WorkspaceCluster stand;
        QVERIFY(stand.start());
        const auto created = stand.call(u"workspace/create",
            createRequest({ workspaceRequest(u"Pad A"_s),
                workspaceRequest(u"pad B"_s),
                workspaceRequest(u"Engine test"_s) }));
        QVERIFY2(created, qPrintable(errorText(created)));
        const auto made = workspacesIn(created);
        QCOMPARE(made.size(), std::size_t(3));
        const QUuid padA = keyOf(made[0]);
        const QUuid engine = keyOf(made[2]);

        QCOMPARE(namesIn(stand.call(u"workspace/retrieve", {})),
            (QStringList { u"Engine test"_s, u"Pad A"_s, u"pad B"_s }));
        QCOMPARE(namesIn(stand.call(u"workspace/retrieve",
                     QJsonObject { { u"search_term"_s, u"PAD"_s } })),
            (QStringList { u"Pad A"_s, u"pad B"_s }));
        QCOMPARE(namesIn(stand.call(u"workspace/retrieve", keysRequest({ engine, padA }))),
            (QStringList { u"Engine test"_s, u"Pad A"_s }));
        QCOMPARE(namesIn(stand.call(u"workspace/retrieve", QJsonObject { { u"limit"_s, 1 } })),
            QStringList { u"Engine test"_s });
        QCOMPARE(namesIn(stand.call(u"workspace/retrieve",
                     QJsonObject { { u"limit"_s, 1 }, { u"offset"_s, 1 } })),
            QStringList { u"Pad A"_s });
        QCOMPARE(namesIn(stand.call(u"workspace/retrieve",
                             QJsonObject { { u"author"_s, keyText(stand.userKey()) } }))
                     .size(),
            3);
        QCOMPARE(namesIn(stand.call(u"workspace/retrieve",
                     QJsonObject { { u"author"_s, keyText(QUuid::createUuid()) } })),
            QStringList {});

        // Asked by key alone, a workspace that does not exist is an error.
        const auto missing
            = stand.call(u"workspace/retrieve", keysRequest({ padA, QUuid::createUuid() }));
        QVERIFY(!missing);
        QCOMPARE(missing.error().type, errors::NotFound);
    }

    void workspacesAreRenamedRelaidOutAndDeleted()
    {
        WorkspaceCluster stand;
        QVERIFY(stand.start());
        const auto created = stand.call(u"workspace/create",
            createRequest({ workspaceRequest(u"Ops"_s, mixedCaseLayout()) }));
        QVERIFY2(created, qPrintable(errorText(created)));
        const QUuid key = keyOf(workspacesIn(created).front());
        const QJsonObject idKey { { u"key"_s, keyText(key) } };
        const QUuid unknown = QUuid::createUuid();

        const auto renamed = stand.call(u"workspace/rename",
            QJsonObject { { u"key"_s, keyText(key) }, { u"name"_s, u"Ops night"_s } });
        QVERIFY2(renamed, qPrintable(errorText(renamed)));
        QCOMPARE(*renamed, QJsonObject {});
        QCOMPARE(namesIn(stand.call(u"workspace/retrieve", keysRequest({ key }))),
            QStringList { u"Ops night"_s });
        const auto unnamed = stand.call(u"workspace/rename",
            QJsonObject { { u"key"_s, keyText(key) }, { u"name"_s, u""_s } });
        QVERIFY(!unnamed);
        QCOMPARE(unnamed.error().type, errors::Validation);
        const auto renamedUnknown = stand.call(u"workspace/rename",
            QJsonObject { { u"key"_s, keyText(unknown) }, { u"name"_s, u"Nobody"_s } });
        QVERIFY(!renamedUnknown);
        QCOMPARE(renamedUnknown.error().type, errors::NotFound);

        const QJsonObject newLayout { { u"mosaicTree"_s,
            QJsonObject { { u"Split_Ratio"_s, 0.25 }, { u"firstTab"_s, u"plot"_s } } } };
        const auto relaid = stand.call(u"workspace/set-layout",
            QJsonObject { { u"key"_s, keyText(key) }, { u"layout"_s, newLayout } });
        QVERIFY2(relaid, qPrintable(errorText(relaid)));
        QCOMPARE(*relaid, QJsonObject {});
        const auto afterLayout = stand.call(u"workspace/retrieve", keysRequest({ key }));
        QCOMPARE(workspacesIn(afterLayout).front().value(u"layout").toObject(), newLayout);
        QCOMPARE(namesIn(afterLayout), QStringList { u"Ops night"_s });
        const auto relaidUnknown = stand.call(u"workspace/set-layout",
            QJsonObject { { u"key"_s, keyText(unknown) }, { u"layout"_s, newLayout } });
        QVERIFY(!relaidUnknown);
        QCOMPARE(relaidUnknown.error().type, errors::NotFound);

        // No name, no workspace: and nothing of that request is stored.
        const auto nameless = stand.call(u"workspace/create",
            createRequest({ workspaceRequest(u"Fine"_s), workspaceRequest(u""_s) }));
        QVERIFY(!nameless);
        QCOMPARE(nameless.error().type, errors::Validation);
        QCOMPARE(namesIn(stand.call(u"workspace/retrieve", {})), QStringList { u"Ops night"_s });

        const auto deleted = stand.call(u"workspace/delete", keysRequest({ key, unknown }));
        QVERIFY2(deleted, qPrintable(errorText(deleted)));
        QCOMPARE(*deleted, QJsonObject {});
        const auto gone = stand.call(u"workspace/retrieve", keysRequest({ key }));
        QVERIFY(!gone);
        QCOMPARE(gone.error().type, errors::NotFound);
        QCOMPARE(namesIn(stand.call(u"workspace/retrieve", {})), QStringList {});
        QVERIFY(stand.call(u"workspace/delete", keysRequest({ key }))); // again: ignored
    }

    void workspacesSurviveARestart()
    {
        WorkspaceCluster stand;
        QVERIFY(stand.start());
        const QUuid user = stand.userKey();
        const auto created = stand.call(u"workspace/create",
            createRequest({ workspaceRequest(u"Renamed"_s),
                workspaceRequest(u"Relaid"_s),
                workspaceRequest(u"Dropped"_s) }));
        QVERIFY2(created, qPrintable(errorText(created)));
        QCOMPARE(workspacesIn(created).size(), std::size_t(3));
        const QUuid renamed = keyOf(workspacesIn(created)[0]);
        const QUuid relaid = keyOf(workspacesIn(created)[1]);
        const QUuid dropped = keyOf(workspacesIn(created)[2]);
        // Each change is the last one made to its workspace, so each must be stored itself.
        QVERIFY(stand.call(u"workspace/rename",
            QJsonObject { { u"key"_s, keyText(renamed) }, { u"name"_s, u"Renamed twice"_s } }));
        QVERIFY(stand.call(u"workspace/set-layout",
            QJsonObject { { u"key"_s, keyText(relaid) }, { u"layout"_s, mixedCaseLayout() } }));
        QVERIFY(stand.call(u"workspace/delete", keysRequest({ dropped })));

        stand.stop();
        QVERIFY(stand.start());
        const auto found = stand.call(u"workspace/retrieve", {});
        QVERIFY2(found, qPrintable(errorText(found)));
        const auto workspaces = workspacesIn(found);
        QCOMPARE(workspaces.size(), std::size_t(2));
        QCOMPARE(keyOf(workspaces[0]), relaid);
        QCOMPARE(workspaces[0].value(u"name").toString(), u"Relaid"_s);
        QCOMPARE(workspaces[0].value(u"layout").toObject(), mixedCaseLayout());
        QCOMPARE(keyOf(workspaces[1]), renamed);
        QCOMPARE(workspaces[1].value(u"name").toString(), u"Renamed twice"_s);
        for (const QJsonObject& workspace : workspaces)
            QCOMPARE(QUuid(workspace.value(u"author").toString()), user);
        QCOMPARE(stand.userKey(), user); // the author is still the same user
        const auto droppedAgain = stand.call(u"workspace/retrieve", keysRequest({ dropped }));
        QVERIFY(!droppedAgain);
        QCOMPARE(droppedAgain.error().type, errors::NotFound);
    }

    void aStreamerSeesEveryWorkspaceChange()
    {
        WorkspaceCluster stand;
        QVERIFY(stand.start());
        client::ConnectionConfig config;
        config.port = stand.connection->config().port;
        auto connection = std::make_shared<client::Connection>(config);
        client::StreamerConfig streamerConfig;
        streamerConfig.channels = { u"sy_workspace_set"_s, u"sy_workspace_delete"_s };
        auto streamer = client::Streamer::open(connection, streamerConfig);
        QVERIFY2(streamer, qPrintable(streamer ? QString() : streamer.error().toString()));
        std::map<ChannelKey, QString> names;
        for (const Channel& channel : (*streamer)->channels()) {
            QVERIFY(channel.internal && channel.isVirtual);
            QCOMPARE(channel.dataType,
                DataType(channel.name == u"sy_workspace_set" ? DataType::Json : DataType::Uuid));
            names[channel.key] = channel.name;
        }
        QCOMPARE(names.size(), std::size_t(2));

        // Another client creates a workspace, renames it, relays it out and deletes it.
        const auto created = stand.call(u"workspace/create",
            createRequest({ workspaceRequest(u"Ops"_s, mixedCaseLayout()) }));
        QVERIFY2(created, qPrintable(errorText(created)));
        const QUuid key = keyOf(workspacesIn(created).front());
        QVERIFY(stand.call(u"workspace/rename",
            QJsonObject { { u"key"_s, keyText(key) }, { u"name"_s, u"Ops 2"_s } }));
        const QJsonObject newLayout { { u"Only_Key"_s, u"v"_s } };
        QVERIFY(stand.call(u"workspace/set-layout",
            QJsonObject { { u"key"_s, keyText(key) }, { u"layout"_s, newLayout } }));
        QVERIFY(stand.call(u"workspace/delete", keysRequest({ key })));

        std::vector<QJsonObject> set;
        std::vector<QUuid> deleted;
        QDeadlineTimer deadline(10'000);
        while ((set.size() < 3 || deleted.empty()) && !deadline.hasExpired()) {
            auto frame = (*streamer)->read(TimeSpan::milliseconds(200));
            QVERIFY2(frame, qPrintable(frame ? QString() : frame.error().toString()));
            if (!*frame)
                continue;
            for (std::size_t i = 0; i < (*frame)->size(); ++i) {
                const Series& series = (*frame)->seriesAt(i);
                const QString channel = names.at((*frame)->keyAt(i));
                for (std::size_t sample = 0; sample < series.size(); ++sample) {
                    if (channel == u"sy_workspace_set")
                        set.push_back(
                            QJsonDocument::fromJson(series.sampleBytes(sample).toByteArray())
                                .object());
                    else
                        deleted.push_back(QUuid::fromRfc4122(series.sampleBytes(sample)));
                }
            }
        }
        QCOMPARE(set.size(), std::size_t(3));
        for (const QJsonObject& sample : set)
            QCOMPARE(keyOf(sample), key);
        QCOMPARE(set[0].value(u"name").toString(), u"Ops"_s);
        QCOMPARE(set[0].value(u"layout").toObject(), mixedCaseLayout());
        QCOMPARE(set[1].value(u"name").toString(), u"Ops 2"_s);
        QCOMPARE(set[1].value(u"layout").toObject(), mixedCaseLayout());
        QCOMPARE(set[2].value(u"name").toString(), u"Ops 2"_s);
        QCOMPARE(set[2].value(u"layout").toObject(), newLayout);
        QCOMPARE(deleted, std::vector<QUuid> { key });
    }
};

QTEST_GUILESS_MAIN(TestWorkspaces)
#include "tst_workspaces.moc"
