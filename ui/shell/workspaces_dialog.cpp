#include "ui/shell/workspaces_dialog.h"

#include "core/client/workspace_client.h"
#include "core/feed/workspace_follower.h"
#include "ui/shell/layout_file.h"
#include "ui/shell/layout_files.h"
#include "ui/shell/main_window.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace sightline::ui {

namespace workspace_layout {

    QJsonObject with(QJsonObject workspaceLayout, const LayoutFile& layout)
    {
        workspaceLayout.insert(Key, layout.toJson());
        return workspaceLayout;
    }

    core::Result<LayoutFile> of(const core::Workspace& workspace)
    {
        const QJsonValue ours = workspace.layout.value(Key);
        if (!ours.isObject())
            return core::fail(u"sightline.layout"_s,
                QObject::tr("Workspace %1 holds no Sightline layout (another client made it)")
                    .arg(workspace.name));
        auto layout
            = LayoutFile::fromJson(QJsonDocument(ours.toObject()).toJson(QJsonDocument::Compact));
        if (!layout)
            return core::fail(u"sightline.layout"_s,
                QObject::tr("Workspace %1: %2").arg(workspace.name, layout.error().message));
        return layout;
    }

} // namespace workspace_layout

WorkspacesDialog::WorkspacesDialog(
    MainWindow& window, std::shared_ptr<core::client::Connection> connection, QWidget* parent)
    : QDialog(parent)
    , m_window(window)
    , m_connection(std::move(connection))
    , m_list(new QListWidget(this))
    , m_status(new QLabel(this))
    , m_follower(new core::feed::WorkspaceFollower(m_connection, this))
{
    setWindowTitle(tr("Workspaces on the cluster"));
    m_list->setObjectName(u"workspaces"_s);
    m_status->setObjectName(u"workspaceStatus"_s);
    m_status->setWordWrap(true);
    const auto button = [this](const QString& text, auto action) {
        auto* b = new QPushButton(text, this);
        connect(b, &QPushButton::clicked, this, action);
        return b;
    };
    const auto withSelected = [this](auto act) {
        return [this, act] {
            if (const auto key = selected())
                act(*key);
        };
    };
    auto* buttons = new QVBoxLayout();
    buttons->addWidget(button(tr("&Open"),
        withSelected([this](const QUuid& key) { report(openWorkspace(key), tr("Opened")); })));
    buttons->addWidget(button(tr("&Save layout here"),
        withSelected([this](const QUuid& key) { report(saveInto(key), tr("Saved")); })));
    buttons->addWidget(button(tr("&New with this layout…"), [this] {
        const QString name = QInputDialog::getText(this, tr("New workspace"), tr("Name:"));
        if (!name.trimmed().isEmpty()) {
            const auto created = createWorkspace(name.trimmed());
            report(created ? core::Result<void> {} : tl::unexpected(created.error()),
                tr("Created %1").arg(name.trimmed()));
        }
    }));
    buttons->addWidget(button(tr("&Rename…"), withSelected([this](const QUuid& key) {
        const QString name = QInputDialog::getText(this,
            tr("Rename workspace"),
            tr("Name:"),
            QLineEdit::Normal,
            m_list->currentItem()->text());
        if (!name.trimmed().isEmpty())
            report(renameWorkspace(key, name.trimmed()), tr("Renamed"));
    })));
    buttons->addWidget(button(tr("&Delete…"), withSelected([this](const QUuid& key) {
        if (QMessageBox::question(this,
                tr("Delete workspace"),
                tr("Delete workspace %1 for every user of the cluster?")
                    .arg(m_list->currentItem()->text()))
            == QMessageBox::Yes)
            report(deleteWorkspace(key), tr("Deleted"));
    })));
    buttons->addStretch(1);
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    buttons->addWidget(close);
    connect(m_list, &QListWidget::itemDoubleClicked, this, [this] {
        if (const auto key = selected())
            report(openWorkspace(*key), tr("Opened"));
    });

    auto* columns = new QHBoxLayout();
    columns->addWidget(m_list, 1);
    columns->addLayout(buttons);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(m_status);
    resize(520, 360);

    connect(m_follower,
        &core::feed::WorkspaceFollower::workspacesRead,
        this,
        &WorkspacesDialog::showWorkspaces);
    connect(m_follower,
        &core::feed::WorkspaceFollower::readFailed,
        this,
        [this](const core::Error& error) {
            m_status->setText(tr("Cannot list the workspaces: %1").arg(error.message));
        });
    m_follower->start();
}

WorkspacesDialog::~WorkspacesDialog() = default;

void WorkspacesDialog::showWorkspaces(const std::vector<core::Workspace>& workspaces)
{
    const std::optional<QUuid> was = selected();
    m_workspaces = workspaces;
    std::sort(m_workspaces.begin(), m_workspaces.end(), [](const auto& a, const auto& b) {
        return a.name.localeAwareCompare(b.name) < 0;
    });
    m_list->clear();
    for (const core::Workspace& workspace : m_workspaces) {
        auto* item = new QListWidgetItem(workspace.name, m_list);
        item->setData(Qt::UserRole, workspace.key);
        if (!workspace.layout.value(workspace_layout::Key).isObject()) {
            QFont font = item->font();
            font.setItalic(true);
            item->setFont(font);
            item->setToolTip(tr("No Sightline layout here yet (another client made it)"));
        }
        if (was && workspace.key == *was)
            m_list->setCurrentItem(item);
    }
    Q_EMIT listed();
}

std::optional<QUuid> WorkspacesDialog::selected() const
{
    const QListWidgetItem* item = m_list->currentItem();
    if (item == nullptr)
        return std::nullopt;
    return item->data(Qt::UserRole).toUuid();
}

void WorkspacesDialog::report(const core::Result<void>& outcome, const QString& done)
{
    if (!outcome && outcome.error().matches(u"sightline.cancelled"_s))
        return;
    m_status->setText(outcome ? done : outcome.error().message);
}

core::Result<void> WorkspacesDialog::openWorkspace(const QUuid& key)
{
    auto workspace = core::client::WorkspaceClient(*m_connection).retrieve(key);
    if (!workspace)
        return tl::unexpected(workspace.error());
    auto layout = workspace_layout::of(*workspace);
    if (!layout)
        return tl::unexpected(layout.error());
    return m_window.layoutFiles().show(std::move(*layout), workspace->name);
}

core::Result<void> WorkspacesDialog::saveInto(const QUuid& key)
{
    core::client::WorkspaceClient workspaces(*m_connection);
    auto workspace = workspaces.retrieve(key); // what others keep there stays
    if (!workspace)
        return tl::unexpected(workspace.error());
    auto saved = workspaces.setLayout(key,
        workspace_layout::with(workspace->layout, m_window.currentLayout()));
    if (saved)
        m_follower->refresh();
    return saved;
}

core::Result<QUuid> WorkspacesDialog::createWorkspace(const QString& name)
{
    core::Workspace workspace;
    workspace.name = name;
    workspace.layout = workspace_layout::with({}, m_window.currentLayout());
    auto created = core::client::WorkspaceClient(*m_connection).create({ workspace });
    if (!created)
        return tl::unexpected(created.error());
    if (created->empty())
        return core::fail(core::errors::Unexpected, tr("The cluster created no workspace"));
    m_follower->refresh();
    return created->front().key;
}

core::Result<void> WorkspacesDialog::renameWorkspace(const QUuid& key, const QString& name)
{
    auto renamed = core::client::WorkspaceClient(*m_connection).rename(key, name);
    if (renamed)
        m_follower->refresh();
    return renamed;
}

core::Result<void> WorkspacesDialog::deleteWorkspace(const QUuid& key)
{
    const QUuid keys[] = { key };
    auto deleted = core::client::WorkspaceClient(*m_connection).remove(keys);
    if (deleted)
        m_follower->refresh();
    return deleted;
}

} // namespace sightline::ui
