#pragma once

#include "core/formats/exporter.h"

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QString>

#include <memory>
#include <optional>

class QMessageBox;
class QSettings;
class QThreadPool;
class QWidget;

namespace fieldmark {

class ExportDialog;
class FormatRegistry;
class JobProgressDialog;
class ProjectStore;
struct JobProgressState;

// The end of an export, delivered to the GUI thread by value.
struct ExportOutcome
{
    QString output; // what the user chose
    ExportMedia media = ExportMedia::Reference;
    std::optional<ExportSummary> summary;
    QString error;
    bool cancelled = false;
};

// File > Export: opens the ExportDialog over the open project and writes the plan the user
// confirmed on a worker thread (runExport reads no store: the plan holds the data), with a
// progress dialog that can cancel (a cancelled export leaves no files) and a summary that can
// open the output folder. The GUI thread never waits.
class ExportController : public QObject
{
    Q_OBJECT

public:
    // The registry is shared with the dialogs and the jobs, which may outlive the window. Exports
    // run on `pool` (the global pool when null).
    ExportController(std::shared_ptr<const FormatRegistry> formats, QSettings &settings,
                     QWidget *window, QThreadPool *pool = nullptr);
    ~ExportController() override;

    // Opens the dialog for the project's tasks, the given one chosen; it starts an export when
    // the user presses Export.
    ExportDialog *openDialog(const ProjectStore &store, qint64 currentTaskId);

    bool isRunning() const { return m_watcher != nullptr; }
    // Writes the plan in the background; false while another export runs.
    bool start(const ExportPlan &plan);
    // Stops at the next file; nothing of the export stays.
    void cancel();

    // Runs on the worker thread.
    static ExportOutcome run(const ExportPlan &plan,
                             const std::shared_ptr<JobProgressState> &state);
    static QString summaryText(const ExportOutcome &outcome);

    ExportDialog *dialog() const;
    JobProgressDialog *progressDialog() const { return m_progress; }
    // The message box of the last export (summary or error) while it is open.
    QMessageBox *resultBox() const { return m_resultBox; }
    // The folder "Open Folder" in the summary opens.
    static QString folderToOpen(const ExportOutcome &outcome);

Q_SIGNALS:
    void runningChanged(bool running);
    void finished(const fieldmark::ExportOutcome &outcome);
    void statusMessage(const QString &message);

private:
    void done();
    void showResult(const ExportOutcome &outcome);

    std::shared_ptr<const FormatRegistry> m_formats;
    QSettings &m_settings;
    QWidget *m_window = nullptr;
    QThreadPool *m_pool = nullptr;
    QPointer<ExportDialog> m_dialog;
    QFutureWatcher<ExportOutcome> *m_watcher = nullptr;
    std::shared_ptr<JobProgressState> m_state;
    JobProgressDialog *m_progress = nullptr;
    QPointer<QMessageBox> m_resultBox;
};

} // namespace fieldmark
