#pragma once

#include "core/formats/annotationimport.h"

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

class FormatRegistry;
class ImportAnnotationsDialog;
class JobProgressDialog;
class ProjectStore;
struct JobProgressState;

// The end of an annotation import, delivered to the GUI thread by value.
struct AnnotationImportOutcome
{
    QString path; // what was read
    std::optional<AnnotationImportSummary> summary;
    QString error;
    bool cancelled = false;
};

// File > Import Annotations: opens the ImportAnnotationsDialog over the open project and
// applies the plan the user accepted on a worker thread with its own ProjectStore (one
// transaction: a cancel or a failure leaves the project as it was), with a progress dialog
// that can cancel and a summary at the end. The GUI thread never waits.
class AnnotationImportController : public QObject
{
    Q_OBJECT

public:
    // The registry is shared with the dialogs and the jobs, which may outlive the window. Imports
    // run on `pool` (the global pool when null).
    AnnotationImportController(std::shared_ptr<const FormatRegistry> formats, QSettings &settings,
                               QWidget *window, QThreadPool *pool = nullptr);
    ~AnnotationImportController() override;

    ImportAnnotationsDialog *openDialog(const ProjectStore &store, qint64 currentTaskId);

    bool isRunning() const { return m_watcher != nullptr; }
    // Applies the plan to the project in projectDirectory; false while another import runs.
    bool start(const QString &projectDirectory, const AnnotationImportPlan &plan,
               const AnnotationImportOptions &options);
    void cancel();

    // Runs on the worker thread.
    static AnnotationImportOutcome run(const QString &projectDirectory,
                                       const AnnotationImportPlan &plan,
                                       const AnnotationImportOptions &options,
                                       const std::shared_ptr<JobProgressState> &state);
    static QString summaryText(const AnnotationImportSummary &summary);

    ImportAnnotationsDialog *dialog() const;
    JobProgressDialog *progressDialog() const { return m_progress; }
    QMessageBox *resultBox() const { return m_resultBox; }

Q_SIGNALS:
    void runningChanged(bool running);
    // After every import that wrote something.
    void annotationsImported(const fieldmark::AnnotationImportSummary &summary);
    void finished(const fieldmark::AnnotationImportOutcome &outcome);
    void statusMessage(const QString &message);

private:
    void done();
    void showResult(const AnnotationImportOutcome &outcome);

    std::shared_ptr<const FormatRegistry> m_formats;
    QSettings &m_settings;
    QWidget *m_window = nullptr;
    QThreadPool *m_pool = nullptr;
    QPointer<ImportAnnotationsDialog> m_dialog;
    QFutureWatcher<AnnotationImportOutcome> *m_watcher = nullptr;
    std::shared_ptr<JobProgressState> m_state;
    JobProgressDialog *m_progress = nullptr;
    QPointer<QMessageBox> m_resultBox;
};

} // namespace fieldmark
