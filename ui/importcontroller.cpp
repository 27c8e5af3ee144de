#include "importcontroller.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QMessageBox>
#include <QProgressDialog>
#include <QThread>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <limits>
#include <mutex>

namespace fieldmark {

// Shared between the GUI thread and the worker; the worker may outlive the controller.
struct ImportJobState
{
    std::mutex mutex;
    Importer *importer = nullptr; // guarded by mutex, set while an Importer runs
    bool cancelRequested = false; // guarded by mutex
    std::atomic<qint64> done{0};
    std::atomic<qint64> total{-1};
    std::atomic<int> source{0};
    int sourceCount = 0;
};

namespace {

void merge(ImportSummary &into, const ImportSummary &from)
{
    into.importId = from.importId;
    into.seen += from.seen;
    into.added += from.added;
    into.duplicates += from.duplicates;
    into.problems += from.problems;
    into.cancelled = into.cancelled || from.cancelled;
    into.seconds += from.seconds;
}

} // namespace

ImportController::ImportController(QWidget *window)
    : QObject(window)
    , m_window(window)
{}

ImportController::~ImportController()
{
    // The worker keeps its state alive and finishes the batch it is on; nothing waits here.
    cancel();
}

QList<ImportSource> ImportController::textSources(const QStringList &files)
{
    QList<ImportSource> sources;
    QStringList plain;
    for (const QString &file : files) {
        const QString suffix = QFileInfo(file).suffix().toLower();
        if (suffix == QLatin1String("jsonl") || suffix == QLatin1String("json") ||
            suffix == QLatin1String("ndjson"))
            sources.append({ImportSource::Kind::Jsonl, {file}});
        else if (suffix == QLatin1String("csv"))
            sources.append({ImportSource::Kind::Csv, {file}});
        else
            plain.append(file);
    }
    if (!plain.isEmpty())
        sources.append({ImportSource::Kind::TextFiles, plain});
    return sources;
}

bool ImportController::start(const QString &projectDirectory, const QList<ImportSource> &sources)
{
    if (isRunning() || sources.isEmpty())
        return false;
    m_state = std::make_shared<ImportJobState>();
    m_state->sourceCount = int(sources.size());

    m_progress = new QProgressDialog(m_window);
    m_progress->setObjectName(QStringLiteral("importProgress"));
    m_progress->setWindowTitle(tr("Import"));
    m_progress->setLabelText(tr("Looking for files\u2026"));
    // Not modal: a modal QProgressDialog runs the event loop inside setValue().
    m_progress->setWindowModality(Qt::NonModal);
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    m_progress->setRange(0, 0);
    // Shown by our own timer: QProgressDialog's restarts its timer whenever the value equals
    // the minimum, which is always while the total is unknown. Short imports never flash it.
    m_progress->setMinimumDuration(std::numeric_limits<int>::max());
    QTimer::singleShot(400, m_progress, &QWidget::show);
    connect(m_progress, &QProgressDialog::canceled, this, &ImportController::cancel);

    m_progressTimer = new QTimer(this);
    m_progressTimer->setInterval(100);
    connect(m_progressTimer, &QTimer::timeout, this, &ImportController::updateProgress);
    m_progressTimer->start();

    m_watcher = new QFutureWatcher<ImportOutcome>(this);
    connect(m_watcher, &QFutureWatcherBase::finished, this, &ImportController::finished);
    m_watcher->setFuture(
        QtConcurrent::run(&ImportController::run, projectDirectory, sources, m_state));
    Q_EMIT runningChanged(true);
    Q_EMIT statusMessage(tr("Importing\u2026"));
    return true;
}

void ImportController::cancel()
{
    if (!m_state)
        return;
    {
        std::lock_guard lock(m_state->mutex);
        m_state->cancelRequested = true;
        if (m_state->importer)
            m_state->importer->cancel();
    }
    if (isRunning())
        Q_EMIT statusMessage(tr("Stopping the import after the current batch\u2026"));
}

ImportOutcome ImportController::run(const QString &projectDirectory,
                                    const QList<ImportSource> &sources,
                                    const std::shared_ptr<ImportJobState> &state)
{
    ImportOutcome outcome;
    // The GUI opened the project and checked it; this thread's own connection needs no check.
    ProjectStore::OpenOptions options;
    options.checkIntegrity = false;
    auto store = ProjectStore::open(projectDirectory, options);
    if (!store) {
        outcome.error = store.errorString();
        return outcome;
    }
    ImportOptions importOptions;
    importOptions.threads = std::max(1, QThread::idealThreadCount() - 1); // keep a core for the GUI
    // Progress and cancellation come once per batch: smaller batches than the CLI's keep the
    // dialog moving and make Cancel take effect within a second or so.
    importOptions.batchSize = 250;
    for (int i = 0; i < sources.size(); ++i) {
        const ImportSource &source = sources.at(i);
        Importer importer(**store, importOptions);
        importer.setProgress([&state](qint64 done, qint64 total) {
            state->done.store(done);
            state->total.store(total);
        });
        {
            std::lock_guard lock(state->mutex);
            if (state->cancelRequested) {
                outcome.summary.cancelled = true;
                break;
            }
            state->importer = &importer;
            state->source.store(i);
            state->done.store(0);
            state->total.store(-1);
        }
        Result<ImportSummary> result = makeError(QString());
        switch (source.kind) {
        case ImportSource::Kind::Images:
            result = importer.importImages(source.paths);
            break;
        case ImportSource::Kind::TextFiles:
            result = importer.importTextFiles(source.paths);
            break;
        case ImportSource::Kind::Jsonl:
            result = importer.importJsonl(source.paths.value(0));
            break;
        case ImportSource::Kind::Csv:
            result = importer.importCsv(source.paths.value(0));
            break;
        }
        {
            std::lock_guard lock(state->mutex);
            state->importer = nullptr;
        }
        if (!result) {
            outcome.error = result.errorString();
            break;
        }
        merge(outcome.summary, *result);
        if (result->cancelled)
            break;
    }
    return outcome;
}

void ImportController::updateProgress()
{
    if (!m_progress || !m_state)
        return;
    const qint64 done = m_state->done.load();
    const qint64 total = m_state->total.load();
    const int source = m_state->source.load();
    QString label = total < 0 ? tr("Looking for files\u2026")
                              : tr("Imported %1 of %2\u2026")
                                    .arg(QLocale().toString(done), QLocale().toString(total));
    if (m_state->sourceCount > 1)
        label = tr("Source %1 of %2: %3").arg(source + 1).arg(m_state->sourceCount).arg(label);
    m_progress->setLabelText(label);
    if (total <= 0) {
        m_progress->setRange(0, 0);
        m_progress->setValue(0);
    } else {
        // QProgressDialog counts in int.
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(std::min<qint64>(1000, done * 1000 / total)));
    }
}

void ImportController::finished()
{
    const ImportOutcome outcome =
        m_watcher->future().resultCount() > 0 ? m_watcher->result() : ImportOutcome{};
    m_watcher->deleteLater();
    m_watcher = nullptr;
    m_progressTimer->stop();
    m_progressTimer->deleteLater();
    m_progressTimer = nullptr;
    m_progress->hide();
    m_progress->deleteLater();
    m_progress = nullptr;
    m_state.reset();

    Q_EMIT runningChanged(false);
    if (outcome.summary.added > 0 || outcome.error.isEmpty())
        Q_EMIT itemsImported(outcome.summary);
    Q_EMIT statusMessage(outcome.error.isEmpty() ? summaryText(outcome.summary)
                                                 : tr("Import failed"));
    showResult(outcome);
}

QString ImportController::summaryText(const ImportSummary &summary)
{
    // Singular and plural spelled out: without a translation loaded, tr()'s %n forms read
    // "item(s)".
    const QLocale locale;
    const auto count = [&locale](qint64 n) {
        return locale.toString(n);
    };
    QStringList parts;
    if (summary.cancelled)
        parts.append(summary.added == 1
                         ? tr("Import cancelled: 1 item added.")
                         : tr("Import cancelled: %1 items added.").arg(count(summary.added)));
    else
        parts.append(summary.added == 1 ? tr("Added 1 item.")
                                        : tr("Added %1 items.").arg(count(summary.added)));
    const qsizetype duplicates = summary.duplicates.size();
    if (duplicates == 1)
        parts.append(tr("1 duplicate already in the project was skipped."));
    else if (duplicates > 1)
        parts.append(
            tr("%1 duplicates already in the project were skipped.").arg(count(duplicates)));
    const qsizetype problems = summary.problems.size();
    if (problems == 1)
        parts.append(tr("1 file or record could not be imported."));
    else if (problems > 1)
        parts.append(tr("%1 files or records could not be imported.").arg(count(problems)));
    return parts.join(QLatin1Char(' '));
}

QString ImportController::detailText(const ImportSummary &summary, int maxLines)
{
    QStringList lines;
    for (const ImportProblem &problem : summary.problems)
        lines.append(
            tr("Skipped %1: %2").arg(QDir::toNativeSeparators(problem.path), problem.reason));
    for (const DuplicateReport &duplicate : summary.duplicates)
        lines.append(tr("Duplicate %1: same content as %2")
                         .arg(QDir::toNativeSeparators(duplicate.path),
                              QDir::toNativeSeparators(duplicate.existingPath)));
    if (lines.size() > maxLines) {
        const qsizetype more = lines.size() - maxLines;
        lines.resize(maxLines);
        lines.append(tr("\u2026 and %1 more.").arg(more));
    }
    return lines.join(QLatin1Char('\n'));
}

void ImportController::showResult(const ImportOutcome &outcome)
{
    auto *box = new QMessageBox(m_window);
    box->setObjectName(QStringLiteral("importResult"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    const ImportSummary &summary = outcome.summary;
    if (!outcome.error.isEmpty()) {
        box->setIcon(QMessageBox::Critical);
        box->setWindowTitle(tr("Import Failed"));
        box->setText(tr("The import stopped: %1").arg(outcome.error));
        if (summary.added > 0)
            box->setInformativeText(summaryText(summary));
    } else {
        box->setIcon(summary.problems.isEmpty() ? QMessageBox::Information : QMessageBox::Warning);
        box->setWindowTitle(summary.cancelled ? tr("Import Cancelled") : tr("Import Finished"));
        box->setText(summaryText(summary));
        if (!summary.problems.isEmpty()) {
            QStringList first;
            for (qsizetype i = 0; i < std::min<qsizetype>(5, summary.problems.size()); ++i)
                first.append(tr("%1: %2").arg(QFileInfo(summary.problems.at(i).path).fileName(),
                                              summary.problems.at(i).reason));
            box->setInformativeText(first.join(QLatin1Char('\n')));
        }
    }
    const QString details = detailText(summary);
    if (!details.isEmpty())
        box->setDetailedText(details);
    box->setStandardButtons(QMessageBox::Ok);
    m_resultBox = box;
    // open(), not exec(): no nested event loop; the window stays usable behind it.
    box->open();
}

} // namespace fieldmark
