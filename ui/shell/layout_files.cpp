#include "ui/shell/layout_files.h"

#include "ui/files/remembered_folder.h"
#include "ui/models/channel_model.h"
#include "ui/shell/layout_file.h"
#include "ui/shell/main_window.h"
#include "ui/shell/rebind_dialog.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace sightline::ui {

namespace {
    const QString RecentKey = u"layouts/recent"_s;
    const QString FolderKey = u"layouts/folder"_s;

    QString startFolder() { return rememberedFolder(FolderKey); }

    QString filter()
    {
        return LayoutFiles::tr("Sightline layouts (*%1);;JSON files (*.json)")
            .arg(LayoutFile::Suffix);
    }
} // namespace

LayoutFiles::LayoutFiles(MainWindow& window, QObject* parent)
    : QObject(parent)
    , m_window(window)
    , m_rebinder([&window](const QStringList& missing) -> std::optional<QMap<QString, QString>> {
        RebindDialog dialog(missing, window.channelModel().channels(), &window);
        if (dialog.exec() != QDialog::Accepted)
            return std::nullopt;
        return dialog.choices();
    })
{
}

void LayoutFiles::addActions(QMenu& file)
{
    QAction* open = file.addAction(tr("&Open layout…"));
    open->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    connect(open, &QAction::triggered, this, &LayoutFiles::chooseAndOpen);
    QAction* save = file.addAction(tr("&Save layout as…"));
    save->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    connect(save, &QAction::triggered, this, &LayoutFiles::chooseAndSave);
    m_recentMenu = file.addMenu(tr("&Recent layouts"));
    updateRecentMenu();
}

core::Result<void> LayoutFiles::open(const QString& path)
{
    auto layout = LayoutFile::read(path);
    if (!layout)
        return tl::unexpected(layout.error());
    auto shown = show(std::move(*layout), QFileInfo(path).fileName());
    if (shown)
        remember(path);
    return shown;
}

core::Result<void> LayoutFiles::show(LayoutFile layout, const QString& origin)
{
    QStringList missing;
    for (const QString& name : layout.channelNames())
        if (m_window.channelModel().findByName(name) == nullptr)
            missing << name;
    QStringList leftOut;
    if (!missing.isEmpty()) {
        const auto chosen = m_rebinder(missing);
        if (!chosen)
            return core::fail(u"sightline.cancelled"_s, tr("Opening %1 was cancelled").arg(origin));
        for (const QString& name : missing) {
            if (const auto to = chosen->find(name); to != chosen->end()) {
                layout.rename(name, *to);
            } else {
                layout.leaveOut(name);
                leftOut << name;
            }
        }
    }
    leftOut << m_window.applyLayout(layout);
    if (!leftOut.isEmpty())
        m_window.showProblem(tr("Layout %1 opened without %2 (not on this cluster)")
                                 .arg(origin, leftOut.join(u", "_s)));
    return {};
}

core::Result<void> LayoutFiles::save(const QString& path)
{
    auto written = m_window.currentLayout().write(path);
    if (written)
        remember(path);
    return written;
}

QStringList LayoutFiles::recent() const { return QSettings().value(RecentKey).toStringList(); }

void LayoutFiles::chooseAndOpen()
{
    const QString path
        = QFileDialog::getOpenFileName(&m_window, tr("Open layout"), startFolder(), filter());
    if (path.isEmpty())
        return;
    openAndReport(path);
}

void LayoutFiles::openAndReport(const QString& path)
{
    if (auto opened = open(path); !opened && !opened.error().matches(u"sightline.cancelled"_s))
        m_window.showProblem(opened.error().message);
}

void LayoutFiles::chooseAndSave()
{
    QString path = QFileDialog::getSaveFileName(&m_window,
        tr("Save layout"),
        QDir(startFolder()).filePath(u"layout"_s + LayoutFile::Suffix),
        filter());
    if (path.isEmpty())
        return;
    if (!path.endsWith(u".json"_s, Qt::CaseInsensitive))
        path += LayoutFile::Suffix;
    if (auto saved = save(path); !saved)
        m_window.showProblem(saved.error().message);
}

void LayoutFiles::remember(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList paths = recent();
    paths.removeAll(absolute);
    paths.prepend(absolute);
    while (paths.size() > MaxRecent)
        paths.removeLast();
    QSettings().setValue(RecentKey, paths);
    rememberFolderOf(FolderKey, absolute);
    updateRecentMenu();
}

void LayoutFiles::updateRecentMenu()
{
    if (m_recentMenu == nullptr)
        return;
    m_recentMenu->clear();
    const QStringList paths = recent();
    for (const QString& path : paths) {
        QAction* action = m_recentMenu->addAction(QFileInfo(path).fileName());
        action->setToolTip(path);
        action->setStatusTip(path);
        connect(action, &QAction::triggered, this, [this, path] { openAndReport(path); });
    }
    m_recentMenu->setEnabled(!paths.isEmpty());
}

} // namespace sightline::ui
