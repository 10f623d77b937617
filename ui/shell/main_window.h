#pragma once

#include <QMainWindow>

class QLabel;
class QCustomPlot;

namespace sightline::ui {

/// The application's main window: plot area and connection status. Wiring only.
/// GUI thread only.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);

    /// Shows a short connection description in the status bar (e.g. "Not connected").
    void setConnectionText(const QString& text);

private:
    void setupUi();
    void createActions();

    QCustomPlot* m_plot = nullptr;
    QLabel* m_connectionLabel = nullptr;
};

} // namespace sightline::ui
