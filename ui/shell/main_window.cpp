#include "ui/shell/main_window.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <qcustomplot.h>

namespace sightline::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setupUi();
    createActions();
}

void MainWindow::setConnectionText(const QString& text) { m_connectionLabel->setText(text); }

void MainWindow::setupUi()
{
    setWindowTitle(tr("Sightline"));
    resize(1280, 800);
    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("livePlot"));
    m_plot->xAxis->setLabel(tr("Time"));
    setCentralWidget(m_plot);
    m_connectionLabel = new QLabel(tr("Not connected"), this);
    statusBar()->addPermanentWidget(m_connectionLabel);
}

void MainWindow::createActions()
{
    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    QAction* quit = fileMenu->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
}

} // namespace sightline::ui
