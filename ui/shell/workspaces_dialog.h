#pragma once

#include "core/client/connection.h"
#include "core/error.h"
#include "core/telem/workspace.h"

#include <QDialog>
#include <QJsonObject>

#include <memory>
#include <optional>
#include <vector>

class QLabel;
class QListWidget;

namespace sightline::core::feed {
class WorkspaceFollower;
}

namespace sightline::ui {

class MainWindow;
struct LayoutFile;

/// Where Sightline keeps its layout inside a workspace's layout object: under its own key, so
/// the Synnax Console's layout in the same workspace is never overwritten (and the other way
/// round).
namespace workspace_layout {
    inline const QString Key = QStringLiteral("sightline");
    /// `workspaceLayout` with Sightline's layout set to `layout`, every other key kept.
    [[nodiscard]] QJsonObject with(QJsonObject workspaceLayout, const LayoutFile& layout);
    /// The Sightline layout a workspace holds; an error when it holds none (made by another
    /// client) or an unreadable one.
    [[nodiscard]] core::Result<LayoutFile> of(const core::Workspace& workspace);
} // namespace workspace_layout

/// File › Workspaces…: the cluster's workspaces, kept current as other clients create,
/// rename or delete them; open one (its Sightline layout, missing channels rebound), save the
/// window's layout into one or into a new one, rename, delete. Works against the embedded
/// cluster and a real Synnax cluster. GUI thread only.
class WorkspacesDialog : public QDialog
{
    Q_OBJECT

public:
    WorkspacesDialog(MainWindow& window,
        std::shared_ptr<core::client::Connection> connection,
        QWidget* parent = nullptr);
    ~WorkspacesDialog() override;

    /// The workspaces listed, as last read.
    [[nodiscard]] const std::vector<core::Workspace>& workspaces() const { return m_workspaces; }

    core::Result<void> openWorkspace(const QUuid& key);
    /// Saves the window's layout into workspace `key`, keeping what other clients keep there.
    core::Result<void> saveInto(const QUuid& key);
    /// A new workspace holding the window's layout; returns its key.
    core::Result<QUuid> createWorkspace(const QString& name);
    core::Result<void> renameWorkspace(const QUuid& key, const QString& name);
    core::Result<void> deleteWorkspace(const QUuid& key);

Q_SIGNALS:
    /// The list was read again (another client may have changed it).
    void listed();

private:
    void showWorkspaces(const std::vector<core::Workspace>& workspaces);
    [[nodiscard]] std::optional<QUuid> selected() const;
    void report(const core::Result<void>& outcome, const QString& done);

    MainWindow& m_window;
    std::shared_ptr<core::client::Connection> m_connection;
    std::vector<core::Workspace> m_workspaces;
    QListWidget* m_list = nullptr;
    QLabel* m_status = nullptr;
    core::feed::WorkspaceFollower* m_follower = nullptr;
};

} // namespace sightline::ui
