#include "exportcontroller.h"

#include "core/formats/formatregistry.h"
#include "core/store/projectstore.h"
#include "ui/dialogs/exportdialog.h"
#include "ui/jobprogressdialog.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QThreadPool>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

namespace fieldmark {

namespace {

const QString kFolderKey = QStringLiteral("export/lastFolder");
const QString kFormatKey = QStringLiteral("export/lastFormat");

QString counted(qsizetype n, const QString &one, const QString &many)
{
    // Spelled out: without a translation loaded, tr()'s %n forms read "item(s)".
    return n == 1 ? one : many.arg(QLocale().toString(n));
}

} // namespace

ExportController::ExportController(std::shared_ptr<const FormatRegistry> formats,
                                   QSettings &settings, QWidget *window, QThreadPool *pool)
    : QObject(window)
    , m_formats(std::move(formats))
    , m_settings(settings)
    , m_window(window)
    , m_pool(pool ? pool : QThreadPool::globalInstance())
{}

ExportDialog *ExportController::dialog() const
{
    return m_dialog;
}

ExportController::~ExportController()
{
    // The worker keeps its state alive and stops at its next file; nothing waits here.
    cancel();
}

ExportDialog *ExportController::openDialog(const ProjectStore &store, qint64 currentTaskId)
{
    if (m_dialog) {
        m_dialog->raise();
        m_dialog->activateWindow();
        return m_dialog;
    }
    auto *dialog = new ExportDialog(m_formats, store.directory(), store.tasks(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setCurrentTask(currentTaskId);
    dialog->setFormat(m_settings.value(kFormatKey).toString());
    const QString folder = m_settings.value(kFolderKey).toString();
    if (QFileInfo(folder).isDir())
        dialog->setDefaultFolder(folder);
    connect(dialog, &ExportDialog::exportRequested, this, &ExportController::start);
    m_dialog = dialog;
    // open(), not exec(): no nested event loop.
    dialog->open();
    return dialog;
}

bool ExportController::start(const ExportPlan &plan)
{
    if (isRunning() || !plan.format)
        return false;
    m_settings.setValue(kFormatKey, plan.format->name());
    m_settings.setValue(kFolderKey, QFileInfo(plan.output).absolutePath());

    m_state = std::make_shared<JobProgressState>();
    m_progress = new JobProgressDialog(
        m_state, tr("Preparing the export\u2026"),
        [](qint64 done, qint64 total) {
            return total < 0 ? tr("Written %1\u2026").arg(QLocale().toString(done))
                             : tr("Written %1 of %2\u2026")
                                   .arg(QLocale().toString(done), QLocale().toString(total));
        },
        m_window);
    m_progress->setObjectName(QStringLiteral("exportProgress"));
    m_progress->setWindowTitle(tr("Export to %1").arg(plan.format->displayName()));
    connect(m_progress, &QProgressDialog::canceled, this, &ExportController::cancel);

    m_watcher = new QFutureWatcher<ExportOutcome>(this);
    connect(m_watcher, &QFutureWatcherBase::finished, this, &ExportController::done);
    // The job holds the registry: the plan points at one of its formats.
    m_watcher->setFuture(QtConcurrent::run(
        m_pool, [plan, state = m_state, formats = m_formats] { return run(plan, state); }));
    Q_EMIT runningChanged(true);
    Q_EMIT statusMessage(tr("Exporting to %1\u2026").arg(QDir::toNativeSeparators(plan.output)));
    return true;
}

void ExportController::cancel()
{
    if (!m_state)
        return;
    m_state->cancelRequested.store(true);
    if (isRunning())
        Q_EMIT statusMessage(tr("Stopping the export\u2026"));
}

ExportOutcome ExportController::run(const ExportPlan &plan,
                                    const std::shared_ptr<JobProgressState> &state)
{
    ExportOutcome outcome;
    outcome.output = plan.output;
    outcome.media = plan.options.media;
    Result<ExportSummary> summary = runExport(plan, JobProgressState::progressFor(state));
    if (summary)
        outcome.summary = std::move(summary).value();
    else if (isFormatCancelled(summary.error()))
        outcome.cancelled = true;
    else
        outcome.error = summary.errorString();
    return outcome;
}

void ExportController::done()
{
    ExportOutcome outcome =
        m_watcher->future().resultCount() > 0 ? m_watcher->result() : ExportOutcome{};
    if (!outcome.summary && !outcome.cancelled && outcome.error.isEmpty())
        outcome.error = tr("the export stopped without saying why");
    m_watcher->deleteLater();
    m_watcher = nullptr;
    m_progress->finish();
    m_progress->deleteLater();
    m_progress = nullptr;
    m_state.reset();

    Q_EMIT runningChanged(false);
    if (outcome.cancelled)
        Q_EMIT statusMessage(tr("Export cancelled; nothing was written."));
    else if (outcome.summary)
        Q_EMIT statusMessage(summaryText(outcome));
    else
        Q_EMIT statusMessage(tr("Export failed"));
    if (!outcome.cancelled)
        showResult(outcome);
    Q_EMIT finished(outcome);
}

QString ExportController::summaryText(const ExportOutcome &outcome)
{
    if (!outcome.summary)
        return {};
    const ExportSummary &summary = *outcome.summary;
    return tr("Exported %1 with %2 to %3.")
        .arg(counted(summary.items, tr("1 item"), tr("%1 items")),
             counted(summary.annotations, tr("1 annotation"), tr("%1 annotations")),
             QDir::toNativeSeparators(outcome.output));
}

QString ExportController::folderToOpen(const ExportOutcome &outcome)
{
    const QString first = outcome.summary && !outcome.summary->written.isEmpty()
                              ? outcome.summary->written.first()
                              : outcome.output;
    const QFileInfo info(first);
    return info.isDir() ? info.absoluteFilePath() : info.absolutePath();
}

void ExportController::showResult(const ExportOutcome &outcome)
{
    auto *box = new QMessageBox(m_window);
    box->setObjectName(QStringLiteral("exportResult"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    if (!outcome.summary) {
        box->setIcon(QMessageBox::Critical);
        box->setWindowTitle(tr("Export Failed"));
        box->setText(
            tr("Fieldmark could not export to %1.").arg(QDir::toNativeSeparators(outcome.output)));
        box->setInformativeText(outcome.error);
        box->setStandardButtons(QMessageBox::Ok);
    } else {
        const ExportSummary &summary = *outcome.summary;
        box->setIcon(QMessageBox::Information);
        box->setWindowTitle(tr("Export Finished"));
        // The paths follow in their own lines, where a long one can wrap.
        box->setText(
            tr("Exported %1 with %2.")
                .arg(counted(summary.items, tr("1 item"), tr("%1 items")),
                     counted(summary.annotations, tr("1 annotation"), tr("%1 annotations"))));
        QStringList lines;
        if (summary.mediaFiles > 0) {
            lines.append(
                outcome.media == ExportMedia::Link
                    ? counted(summary.mediaFiles, tr("1 image linked."), tr("%1 images linked."))
                    : counted(summary.mediaFiles, tr("1 image copied."), tr("%1 images copied.")));
        }
        lines.append(tr("Written:"));
        const qsizetype shown = std::min<qsizetype>(summary.written.size(), 6);
        for (qsizetype i = 0; i < shown; ++i)
            lines.append(QDir::toNativeSeparators(summary.written.at(i)));
        if (summary.written.size() > shown)
            lines.append(tr("\u2026 and %1 more.").arg(summary.written.size() - shown));
        box->setInformativeText(lines.join(QLatin1Char('\n')));
        QPushButton *open = box->addButton(tr("&Open Folder"), QMessageBox::ActionRole);
        open->setObjectName(QStringLiteral("openExportFolder"));
        const QString folder = folderToOpen(outcome);
        connect(open, &QPushButton::clicked, this,
                [folder] { QDesktopServices::openUrl(QUrl::fromLocalFile(folder)); });
        box->addButton(QMessageBox::Close);
        box->setDefaultButton(QMessageBox::Close);
    }
    m_resultBox = box;
    // open(), not exec(): no nested event loop; the window stays usable behind it.
    box->open();
}

} // namespace fieldmark
