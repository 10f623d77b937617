#include "ui/history/history_export.h"

#include "ui/files/remembered_folder.h"
#include "ui/history/history_plot.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace sightline::ui::history_export {

namespace {

    const QString FolderKey = u"history/exportFolder"_s;

    /// One plot a page: the local paper size in landscape, the plot scaled to fit its margins.
    bool writePdfPages(const QString& file,
        const QString& title,
        const std::vector<HistoryPlot*>& plots,
        QSize plotSize)
    {
        QPdfWriter pdf(file);
        pdf.setTitle(title);
        pdf.setResolution(72); // one unit a point
        const bool letter = QLocale::system().measurementSystem() == QLocale::ImperialUSSystem;
        pdf.setPageLayout(QPageLayout(QPageSize(letter ? QPageSize::Letter : QPageSize::A4),
            QPageLayout::Landscape,
            QMarginsF(28, 28, 28, 28),
            QPageLayout::Point));
        const QRect page = pdf.pageLayout().paintRectPixels(pdf.resolution());
        const double scale = std::min(double(page.width()) / plotSize.width(),
            double(page.height()) / plotSize.height());
        QCPPainter painter;
        if (!painter.begin(&pdf))
            return false;
        for (std::size_t i = 0; i < plots.size(); ++i) {
            if (i > 0 && !pdf.newPage())
                return false;
            painter.save();
            painter.scale(scale, scale);
            plots[i]->plot()->toPainter(&painter, plotSize.width(), plotSize.height());
            painter.restore();
        }
        return painter.end();
    }

    /// Every plot painted in turn onto one vector page, `each` high.
    bool paintStacked(QPaintDevice& device, const std::vector<HistoryPlot*>& plots, QSize each)
    {
        QCPPainter painter;
        if (!painter.begin(&device))
            return false;
        for (std::size_t i = 0; i < plots.size(); ++i) {
            painter.save();
            painter.translate(0, each.height() * static_cast<double>(i));
            plots[i]->plot()->toPainter(&painter, each.width(), each.height());
            painter.restore();
        }
        return painter.end();
    }

    bool writeSvg(const QString& file,
        const QString& title,
        const std::vector<HistoryPlot*>& plots,
        QSize each)
    {
        const QSize all(each.width(), each.height() * static_cast<int>(plots.size()));
        QSvgGenerator svg;
        svg.setFileName(file);
        svg.setTitle(title);
        svg.setSize(all);
        svg.setViewBox(QRect(QPoint(0, 0), all));
        return paintStacked(svg, plots, each) && QFileInfo(file).size() > 0;
    }

    bool writePng(const QString& file, const std::vector<HistoryPlot*>& plots, QSize each)
    {
        QImage image(each.width(),
            each.height() * static_cast<int>(plots.size()),
            QImage::Format_ARGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        for (std::size_t i = 0; i < plots.size(); ++i)
            painter.drawPixmap(0,
                each.height() * static_cast<int>(i),
                plots[i]->plot()->toPixmap(each.width(), each.height()));
        painter.end();
        return image.save(file);
    }

} // namespace

core::Result<void> writeImage(
    const std::vector<HistoryPlot*>& plots, const QString& file, const QString& title)
{
    if (plots.empty())
        return core::fail(u"sightline.export"_s, QObject::tr("There is no history plot to export"));
    for (HistoryPlot* plot : plots) {
        plot->setExportDecorations(title);
        plot->plot()->replot(QCustomPlot::rpImmediateRefresh);
    }
    const QSize each(std::max(800, plots.front()->width()), std::max(300, plots.front()->height()));
    bool ok = false;
    if (file.endsWith(u".pdf"_s, Qt::CaseInsensitive))
        ok = writePdfPages(file, title, plots, each);
    else if (file.endsWith(u".svg"_s, Qt::CaseInsensitive))
        ok = writeSvg(file, title, plots, each);
    else
        ok = writePng(file, plots, each);
    for (HistoryPlot* plot : plots) {
        plot->setExportDecorations(QString());
        plot->plot()->replot(QCustomPlot::rpImmediateRefresh);
    }
    if (!ok)
        return core::fail(u"sightline.export"_s, QObject::tr("Cannot write %1").arg(file));
    return {};
}

QString lastFolder()
{
    const QString saved = QSettings().value(FolderKey).toString();
    if (!saved.isEmpty() && QDir(saved).exists())
        return saved;
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return documents.isEmpty() ? QDir::homePath() : documents;
}

QString chooseFile(
    QWidget* parent, const QString& caption, const QString& fileName, const QString& filter)
{
    const QString file = QFileDialog::getSaveFileName(parent,
        caption,
        QDir(lastFolder()).filePath(fileName),
        filter);
    if (!file.isEmpty())
        rememberFolderOf(FolderKey, file);
    return file;
}

std::optional<std::vector<core::Channel>> chooseChannels(QWidget* parent,
    const std::vector<core::Channel>& channels)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(QObject::tr("Export CSV"));
    auto* list = new QListWidget(&dialog);
    for (const core::Channel& channel : channels) {
        auto* item = new QListWidgetItem(channel.name, list);
        item->setCheckState(Qt::Checked);
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addWidget(new QLabel(QObject::tr("Channels to export:"), &dialog));
    layout->addWidget(list);
    layout->addWidget(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    std::vector<core::Channel> chosen;
    for (int row = 0; row < list->count(); ++row)
        if (list->item(row)->checkState() == Qt::Checked)
            chosen.push_back(channels[std::size_t(row)]);
    if (chosen.empty())
        return std::nullopt;
    return chosen;
}

} // namespace sightline::ui::history_export
