#include "importcommand.h"

#include "core/import/imageprobe.h"
#include "core/store/projectstore.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <algorithm>
#include <atomic>
#include <csignal>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace {

// A Ground Truth manifest is JSON Lines whose records carry `source-ref`.
bool firstLineHasSourceRef(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    while (!file.atEnd()) {
        QByteArray line = file.readLine(1 << 20).trimmed();
        if (line.startsWith("\xEF\xBB\xBF"))
            line = line.mid(3).trimmed();
        if (line.isEmpty())
            continue;
        const QJsonDocument document = QJsonDocument::fromJson(line);
        if (document.isObject())
            return document.object().contains(u"source-ref"_s);
        return line.contains("\"source-ref\"");
    }
    return false;
}

Result<ImportCommand::Format> detectFormat(const QString &path)
{
    using Format = ImportCommand::Format;
    const QFileInfo info(path);
    if (info.isDir()) {
        // A folder is images unless it holds text files and no image at all.
        bool sawText = false;
        QDirIterator it(path, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            if (isImageFileName(it.fileName()))
                return Format::Images;
            if (it.fileInfo().suffix().compare("txt"_L1, Qt::CaseInsensitive) == 0)
                sawText = true;
        }
        return sawText ? Format::Text : Format::Images;
    }
    const QString suffix = info.suffix().toLower();
    if (suffix == "jsonl"_L1 || suffix == "manifest"_L1 || suffix == "json"_L1)
        return firstLineHasSourceRef(path) ? Format::Manifest : Format::Jsonl;
    if (suffix == "csv"_L1)
        return Format::Csv;
    if (suffix == "txt"_L1)
        return Format::Text;
    if (isImageFileName(info.fileName()))
        return Format::Images;
    return makeError(path +
                     u": cannot tell the format from the file name; choose one with "
                     u"--format ("_s +
                     ImportCommand::formatNames().join(u", "_s) + u')');
}

void mergeSummary(ImportSummary &into, const ImportSummary &from)
{
    into.seen += from.seen;
    into.added += from.added;
    into.duplicates += from.duplicates;
    into.problems += from.problems;
    into.cancelled = into.cancelled || from.cancelled;
}

// Ctrl+C during an import asks the importer to stop after its current batch, so what was
// written stays and the summary still prints; a second Ctrl+C ends the process at once.
std::atomic<Importer *> g_activeImporter{nullptr};

extern "C" void onInterrupt(int)
{
    if (Importer *importer = g_activeImporter.load())
        importer->cancel();
    std::signal(SIGINT, SIG_DFL);
}

class InterruptGuard
{
public:
    explicit InterruptGuard(Importer &importer)
    {
        g_activeImporter.store(&importer);
        m_previous = std::signal(SIGINT, onInterrupt);
    }
    ~InterruptGuard()
    {
        std::signal(SIGINT, m_previous == SIG_ERR ? SIG_DFL : m_previous);
        g_activeImporter.store(nullptr);
    }
    InterruptGuard(const InterruptGuard &) = delete;
    InterruptGuard &operator=(const InterruptGuard &) = delete;

private:
    void (*m_previous)(int) = SIG_DFL;
};

QElapsedTimer startedTimer()
{
    QElapsedTimer timer;
    timer.start();
    return timer;
}

} // namespace

const QStringList &ImportCommand::formatNames()
{
    static const QStringList names{u"images"_s, u"text"_s, u"jsonl"_s, u"csv"_s, u"manifest"_s};
    return names;
}

ImportCommand::ImportCommand(ProjectStore &store, ImportOptions options, QTextStream &out,
                             QTextStream &err)
    : m_store(store)
    , m_options(std::move(options))
    , m_out(out)
    , m_err(err)
{}

Result<void> ImportCommand::plan(const QStringList &paths, std::optional<Format> forced)
{
    m_jobs.clear();
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.exists())
            return makeError(path + u": no such file or folder"_s);
        if (!info.isReadable())
            return makeError(path + u": not readable (permission denied)"_s);
        Format format = Format::Images;
        if (forced) {
            format = *forced;
            if (info.isDir() && format != Format::Images && format != Format::Text)
                return makeError(path + u": is a folder; --format %1 takes a file"_s.arg(
                                            formatNames().at(int(format))));
        } else {
            const Result<Format> detected = detectFormat(path);
            if (!detected)
                return detected.error();
            format = *detected;
        }
        const bool grouped = format == Format::Images || format == Format::Text;
        auto job = std::find_if(m_jobs.begin(), m_jobs.end(), [format](const Job &existing) {
            return existing.format == format;
        });
        if (grouped && job != m_jobs.end())
            job->paths.append(path);
        else
            m_jobs.append(Job{format, {path}});
    }
    return {};
}

Result<ImportSummary> ImportCommand::runJob(Importer &importer, const Job &job)
{
    switch (job.format) {
    case Format::Images:
        return importer.importImages(job.paths);
    case Format::Text:
        return importer.importTextFiles(job.paths);
    case Format::Jsonl:
        return importer.importJsonl(job.paths.constFirst());
    case Format::Csv:
        return importer.importCsv(job.paths.constFirst());
    case Format::Manifest:
        return importer.importManifest(job.paths.constFirst());
    }
    return makeError(u"unknown import format"_s);
}

ImportSummary ImportCommand::run(QString *fatal)
{
    ImportSummary total;
    bool progressShown = false;
    const QElapsedTimer clock = startedTimer();
    for (const Job &job : std::as_const(m_jobs)) {
        Importer importer(m_store, m_options);
        if (m_showProgress) {
            const QString label = job.paths.size() == 1
                                      ? QFileInfo(job.paths.constFirst()).fileName()
                                      : u"%1 paths"_s.arg(job.paths.size());
            importer.setProgress([this, label, &progressShown,
                                  timer = startedTimer()](qint64 done, qint64 count) mutable {
                if (timer.elapsed() < 200)
                    return;
                timer.restart();
                m_err << "\rimporting " << label << ": " << done;
                if (count > 0)
                    m_err << '/' << count << " (" << (100 * done / count) << "%)";
                m_err << "\x1b[K"; // erase the rest of the previous line
                m_err.flush();
                progressShown = true;
            });
        }
        const InterruptGuard interrupt(importer);
        const Result<ImportSummary> result = runJob(importer, job);
        if (progressShown) {
            m_err << "\r\x1b[K";
            m_err.flush();
            progressShown = false;
        }
        if (!result) {
            if (fatal)
                *fatal = result.errorString();
            break;
        }
        mergeSummary(total, *result);
        if (result->cancelled)
            break;
    }
    total.seconds = double(clock.nsecsElapsed()) / 1e9;
    return total;
}

void ImportCommand::printSummary(const QString &project, const ImportSummary &summary)
{
    const qint64 looked =
        std::max(summary.seen, summary.added + summary.duplicates.size() + summary.problems.size());
    const double rate = summary.seconds > 0 ? double(looked) / summary.seconds : 0.0;
    m_out << "Import into " << QDir(project).absolutePath() << '\n'
          << "  added       " << summary.added << '\n'
          << "  duplicates  " << summary.duplicates.size() << '\n'
          << "  skipped     " << summary.problems.size() << '\n'
          << "  time        " << QString::number(summary.seconds, 'f', 2) << " s, "
          << QString::number(rate, 'f', 1) << " items/s\n";
    m_out.flush(); // before the lists on stderr, so a terminal shows them in order

    auto listed = [this](qsizetype count) {
        return m_listLimit < 0 ? count : std::min<qsizetype>(count, m_listLimit);
    };
    for (qsizetype i = 0; i < listed(summary.problems.size()); ++i)
        m_err << summary.problems.at(i).path << ": " << summary.problems.at(i).reason << '\n';
    if (const qsizetype more = summary.problems.size() - listed(summary.problems.size()); more)
        m_err << "... and " << more << " more skipped (--verbose lists them all)\n";
    for (qsizetype i = 0; i < listed(summary.duplicates.size()); ++i) {
        const DuplicateReport &duplicate = summary.duplicates.at(i);
        m_err << duplicate.path << ": duplicate of "
              << (duplicate.existingPath.isEmpty() ? u"item %1"_s.arg(duplicate.existingItemId)
                                                   : duplicate.existingPath)
              << '\n';
    }
    if (const qsizetype more = summary.duplicates.size() - listed(summary.duplicates.size()); more)
        m_err << "... and " << more << " more duplicates (--verbose lists them all)\n";
    m_err.flush();
}

} // namespace fieldmark
