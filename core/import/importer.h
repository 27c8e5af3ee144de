#pragma once

#include "core/store/projectstore.h"
#include "core/util/result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace fieldmark {

struct ImportOptions
{
    qint64 maxPixels = 1'000'000'000; // larger declared images are refused, never decoded
    int threads = 0;                  // 0: QThread::idealThreadCount()
    int batchSize = 1000;             // items per transaction
    QString csvColumn = QStringLiteral("text");
    QString jsonField; // JSONL: empty means "text", then "source"
    QString annotator; // who ran the import, for the event log
};

// A file (or record) skipped as a duplicate of something already in the project.
struct DuplicateReport
{
    QString path; // the skipped file, or file:line for a record
    qint64 existingItemId = 0;
    QString existingPath; // what it duplicates
};

struct ImportSummary
{
    qint64 importId = 0;
    qint64 seen = 0; // files or records looked at
    qint64 added = 0;
    QList<DuplicateReport> duplicates;
    QList<ImportProblem> problems; // skipped, with the reason
    bool cancelled = false;
    double seconds = 0;

    bool partial() const { return !problems.isEmpty(); }
};

// Brings media and texts into a project. Images are probed in parallel (headers only) and
// written in batches, one transaction per batch, so a killed import keeps every finished
// batch and a re-run skips what is already there as duplicates.
//
// A failed file never stops the import: it is recorded with the reason and skipped. Only a
// failure of the project itself (the database cannot be written) ends it with an error.
class Importer
{
public:
    // Called on the importing thread with (done, total); total is -1 while still unknown.
    using Progress = std::function<void(qint64 done, qint64 total)>;

    Importer(ProjectStore &store, ImportOptions options = {});

    void setProgress(Progress progress) { m_progress = std::move(progress); }
    // Thread-safe: the import stops after the current batch; what was written stays.
    void cancel() { m_cancelled.store(true); }

    // Files and folders (searched recursively) of JPEG, PNG, BMP, TIFF or WebP images.
    Result<ImportSummary> importImages(const QStringList &paths);
    // One item per .txt file (UTF-8), files and folders searched recursively.
    Result<ImportSummary> importTextFiles(const QStringList &paths);
    // One item per line of a JSON Lines file, its text in `text` or `source` (or jsonField);
    // other keys are kept with the item.
    Result<ImportSummary> importJsonl(const QString &path);
    // One item per row of a CSV file (RFC 4180 quoting), its text in column csvColumn.
    Result<ImportSummary> importCsv(const QString &path);
    // A Ground Truth input manifest: JSON Lines with `source-ref` (an image path, relative to
    // the manifest or absolute) or `source` (a text); other keys are kept.
    Result<ImportSummary> importManifest(const QString &path);

private:
    Result<ImportSummary> importTexts(const QString &source, QList<Item> items,
                                      ImportSummary summary);
    Result<void> addTexts(const QList<Item> &items, ImportSummary &summary);

    ProjectStore &m_store;
    ImportOptions m_options;
    Progress m_progress;
    std::atomic<bool> m_cancelled{false};
};

// The content hash a text item is stored with ("sha1:<hex>" of its UTF-8), so other code can
// find a text already in the project.
QByteArray textHash(const QString &text);

} // namespace fieldmark
