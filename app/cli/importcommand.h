#pragma once

#include "core/import/importer.h"
#include "core/util/result.h"

#include <QList>
#include <QStringList>

#include <optional>

class QTextStream;

namespace fieldmark {

class ProjectStore;

// The work of `fieldmark-cli import` once its arguments are parsed: tells each path's format,
// checks every path before anything is written, runs the Importer (all image paths in one
// call, all text paths in another, each JSONL, CSV or manifest file in its own), shows
// progress and prints the summary.
class ImportCommand
{
public:
    enum class Format { Images, Text, Jsonl, Csv, Manifest };
    static const QStringList &formatNames(); // in Format order: "images", "text", ...

    ImportCommand(ProjectStore &store, ImportOptions options, QTextStream &out, QTextStream &err);

    // Progress on stderr, throttled; for a person at a terminal, not for logs.
    void setShowProgress(bool show) { m_showProgress = show; }
    // How many skipped and duplicate files the summary lists; -1 lists all.
    void setListLimit(qint64 limit) { m_listLimit = limit; }

    // Decides what to import; the error names the path that is missing or of unknown format.
    Result<void> plan(const QStringList &paths, std::optional<Format> forced = {});

    // Imports what plan() found. The summary covers every finished call even when a later one
    // failed; `fatal` then holds why the import stopped (the project could not be written).
    ImportSummary run(QString *fatal);

    void printSummary(const QString &project, const ImportSummary &summary);

private:
    struct Job
    {
        Format format;
        QStringList paths;
    };

    Result<ImportSummary> runJob(Importer &importer, const Job &job);

    ProjectStore &m_store;
    ImportOptions m_options;
    QTextStream &m_out;
    QTextStream &m_err;
    bool m_showProgress = false;
    qint64 m_listLimit = 20;
    QList<Job> m_jobs;
};

} // namespace fieldmark
