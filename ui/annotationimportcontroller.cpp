#include "annotationimportcontroller.h"

#include "core/formats/formatregistry.h"
#include "core/store/projectstore.h"
#include "ui/dialogs/importannotationsdialog.h"
#include "ui/jobprogressdialog.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QMessageBox>
#include <QSettings>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

namespace fieldmark {

namespace {

const QString kFolderKey = QStringLiteral("importAnnotations/lastFolder");
const QString kFormatKey = QStringLiteral("importAnnotations/lastFormat");

QString counted(qsizetype n, const QString &one, const QString &many)
{
    // Spelled out: without a translation loaded, tr()'s %n forms read "item(s)".
    return n == 1 ? one : many.arg(QLocale().toString(n));
}

} // namespace

AnnotationImportController::AnnotationImportController(
    std::shared_ptr<const FormatRegistry> formats, QSettings &settings, QWidget *window,
    QThreadPool *pool)
    : QObject(window)
    , m_formats(std::move(formats))
    , m_settings(settings)
    , m_window(window)
    , m_pool(pool ? pool : QThreadPool::globalInstance())
{}

ImportAnnotationsDialog *AnnotationImportController::dialog() const
{
    return m_dialog;
}

AnnotationImportController::~AnnotationImportController()
{
    // The worker keeps its state alive, stops at its next item and rolls back; nothing waits.
    cancel();
}

ImportAnnotationsDialog *AnnotationImportController::openDialog(const ProjectStore &store,
                                                                qint64 currentTaskId)
{
    if (m_dialog) {
        m_dialog->raise();
        m_dialog->activateWindow();
        return m_dialog;
    }
    auto *dialog =
        new ImportAnnotationsDialog(m_formats, store.directory(), store.tasks(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFormat(m_settings.value(kFormatKey).toString());
    dialog->setCurrentTask(currentTaskId);
    const QString folder = m_settings.value(kFolderKey).toString();
    if (QFileInfo(folder).isDir())
        dialog->setStartFolder(folder);
    const QString directory = store.directory();
    connect(dialog, &ImportAnnotationsDialog::importRequested, this,
            [this, directory](const AnnotationImportPlan &plan,
                              const AnnotationImportOptions &options) {
                start(directory, plan, options);
            });
    m_dialog = dialog;
    // open(), not exec(): no nested event loop.
    dialog->open();
    return dialog;
}

bool AnnotationImportController::start(const QString &projectDirectory,
                                       const AnnotationImportPlan &plan,
                                       const AnnotationImportOptions &options)
{
    if (isRunning())
        return false;
    if (m_dialog && m_dialog->format()) {
        m_settings.setValue(kFormatKey, m_dialog->format()->name());
        m_settings.setValue(kFolderKey, QFileInfo(m_dialog->path()).absolutePath());
    }
    m_state = std::make_shared<JobProgressState>();
    m_progress = new JobProgressDialog(
        m_state, tr("Preparing the import\u2026"),
        [](qint64 done, qint64 total) {
            return total < 0 ? tr("Imported %1\u2026").arg(QLocale().toString(done))
                             : tr("Imported %1 of %2\u2026")
                                   .arg(QLocale().toString(done), QLocale().toString(total));
        },
        m_window);
    m_progress->setObjectName(QStringLiteral("annotationImportProgress"));
    m_progress->setWindowTitle(tr("Import Annotations"));
    connect(m_progress, &QProgressDialog::canceled, this, &AnnotationImportController::cancel);

    m_watcher = new QFutureWatcher<AnnotationImportOutcome>(this);
    connect(m_watcher, &QFutureWatcherBase::finished, this, &AnnotationImportController::done);
    m_watcher->setFuture(QtConcurrent::run(m_pool, &AnnotationImportController::run,
                                           projectDirectory, plan, options, m_state));
    Q_EMIT runningChanged(true);
    Q_EMIT statusMessage(tr("Importing annotations\u2026"));
    return true;
}

void AnnotationImportController::cancel()
{
    if (!m_state)
        return;
    m_state->cancelRequested.store(true);
    if (isRunning())
        Q_EMIT statusMessage(tr("Stopping the import\u2026"));
}

AnnotationImportOutcome
AnnotationImportController::run(const QString &projectDirectory, const AnnotationImportPlan &plan,
                                const AnnotationImportOptions &options,
                                const std::shared_ptr<JobProgressState> &state)
{
    AnnotationImportOutcome outcome;
    ProjectStore::OpenOptions openOptions;
    openOptions.checkIntegrity = false; // the GUI checked it when it opened the project
    auto store = ProjectStore::open(projectDirectory, openOptions);
    if (!store) {
        outcome.error = store.errorString();
        return outcome;
    }
    auto summary =
        runAnnotationImport(**store, plan, options, JobProgressState::progressFor(state));
    if (summary)
        outcome.summary = std::move(summary).value();
    else if (isFormatCancelled(summary.error()))
        outcome.cancelled = true;
    else
        outcome.error = summary.errorString();
    return outcome;
}

void AnnotationImportController::done()
{
    AnnotationImportOutcome outcome =
        m_watcher->future().resultCount() > 0 ? m_watcher->result() : AnnotationImportOutcome{};
    if (!outcome.summary && !outcome.cancelled && outcome.error.isEmpty())
        outcome.error = tr("the import stopped without saying why");
    m_watcher->deleteLater();
    m_watcher = nullptr;
    m_progress->finish();
    m_progress->deleteLater();
    m_progress = nullptr;
    m_state.reset();

    Q_EMIT runningChanged(false);
    if (outcome.summary) {
        Q_EMIT annotationsImported(*outcome.summary);
        Q_EMIT statusMessage(summaryText(*outcome.summary));
    } else if (outcome.cancelled) {
        Q_EMIT statusMessage(tr("Import cancelled; the project is as it was."));
    } else {
        Q_EMIT statusMessage(tr("Import failed"));
    }
    if (!outcome.cancelled)
        showResult(outcome);
    Q_EMIT finished(outcome);
}

QString AnnotationImportController::summaryText(const AnnotationImportSummary &summary)
{
    QStringList parts;
    parts.append(
        counted(summary.annotationsAdded, tr("Added 1 annotation."), tr("Added %1 annotations.")));
    if (summary.itemsAdded > 0)
        parts.append(counted(summary.itemsAdded, tr("1 item was added to the project."),
                             tr("%1 items were added to the project.")));
    if (!summary.classesAdded.isEmpty())
        parts.append(tr("Classes added to the task: %1.")
                         .arg(summary.classesAdded.join(QStringLiteral(", "))));
    if (summary.skippedAnnotations > 0)
        parts.append(counted(summary.skippedAnnotations, tr("1 annotation was skipped."),
                             tr("%1 annotations were skipped.")));
    return parts.join(QLatin1Char(' '));
}

void AnnotationImportController::showResult(const AnnotationImportOutcome &outcome)
{
    auto *box = new QMessageBox(m_window);
    box->setObjectName(QStringLiteral("annotationImportResult"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    if (!outcome.summary) {
        box->setIcon(QMessageBox::Critical);
        box->setWindowTitle(tr("Import Failed"));
        box->setText(tr("The annotations could not be imported; the project is as it was."));
        box->setInformativeText(outcome.error);
    } else {
        const AnnotationImportSummary &summary = *outcome.summary;
        box->setIcon(summary.problems.isEmpty() ? QMessageBox::Information : QMessageBox::Warning);
        box->setWindowTitle(tr("Import Finished"));
        box->setText(summaryText(summary));
        if (!summary.problems.isEmpty()) {
            box->setInformativeText(counted(summary.problems.size(),
                                            tr("1 record with a problem was left out."),
                                            tr("%1 records with problems were left out.")));
            QStringList lines;
            for (const FormatProblem &problem : summary.problems)
                lines.append(
                    tr("%1: %2").arg(QDir::toNativeSeparators(problem.where), problem.reason));
            box->setDetailedText(lines.join(QLatin1Char('\n')));
        }
    }
    box->setStandardButtons(QMessageBox::Ok);
    m_resultBox = box;
    // open(), not exec(): no nested event loop; the window stays usable behind it.
    box->open();
}

} // namespace fieldmark
