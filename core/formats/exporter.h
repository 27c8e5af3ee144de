#pragma once

#include "core/formats/exportdata.h"
#include "core/formats/format.h"

#include <QList>
#include <QString>

namespace fieldmark {

class ProjectStore;

// What an export does with the media files.
enum class ExportMedia {
    Reference, // the annotations point at the images where the project keeps them
    Copy,      // images are copied into the export (images/[<subset>/]...)
    Link,      // symbolic links in the export point at the project's images
};

// The user's choices for one export (File > Export and `fieldmark-cli export`).
struct ExportOptions
{
    qint64 taskId = 0;
    ExportLabels labels = ExportLabels::Reviewed;
    // Shares of the items for validation and test; the rest is train. Both zero: no split,
    // one set. The split depends only on the seed and the items' content hashes, so the same
    // seed over the same items always gives the same sets, whatever order they were added in.
    double validationShare = 0;
    double testShare = 0;
    quint64 seed = 0;
    ExportMedia media = ExportMedia::Reference;
};

// An image the export copies or links, and where.
struct ExportMediaFile
{
    QString from;
    QString to;
};

// One set of a split export and where it goes.
struct ExportSubset
{
    QString name;    // "train", "val", "test"; empty when there is no split
    QString path;    // the file or folder the format writes it to
    ExportData data; // with copied or linked images, item paths point at the copies
    QList<ExportMediaFile> media;
};

// Everything an export will write, worked out before anything is written, so the user can
// read the loss report and confirm (the GUI shows it, the CLI prints it).
struct ExportPlan
{
    const Format *format = nullptr;
    QString output; // what the user chose: a file, or a folder for folder formats
    ExportOptions options;
    QList<ExportSubset> subsets;
    LossReport loss; // over all subsets together
    // Things to know that lose nothing, so they need no confirmation (images named by an
    // absolute path, which a self-contained dataset would not do).
    QStringList notes;
    qsizetype itemCount = 0;
    qsizetype annotationCount = 0;
};

struct ExportSummary
{
    QStringList written; // the files and folders written, for the user to open
    qsizetype items = 0;
    qsizetype annotations = 0;
    qsizetype mediaFiles = 0; // copied or linked
};

// Reads the task from the store and splits it; writes nothing. Fails on a format that cannot
// carry the task, a share outside [0, 1) or shares adding up to 1 or more.
Result<ExportPlan> planExport(const ProjectStore &store, const Format &format,
                              const QString &output, const ExportOptions &options);
// Copies or links the media (when chosen) and writes each subset. Cancelling through
// `progress` stops between files and returns formatCancelled().
Result<ExportSummary> runExport(const ExportPlan &plan, const Progress &progress = {});

} // namespace fieldmark
