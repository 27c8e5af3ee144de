#pragma once

#include "core/formats/format.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace fieldmark {

class ProjectStore;

// The user's choices for bringing a file's labels into a task (File > Import > Annotations
// and `fieldmark-cli import --format`).
struct AnnotationImportOptions
{
    qint64 taskId = 0;
    // Images or texts the file names that the project lacks are added as items; otherwise
    // their labels are skipped and reported.
    bool addMissingItems = true;
    // Classes the task lacks are added to it; otherwise their labels are skipped and the
    // class names reported.
    bool addUnknownClasses = false;
    // With problems in the file: false imports nothing, true imports the valid part.
    bool importValidPart = false;
    // Who is credited with human labels (an annotator name); empty: the file's name.
    QString annotator;
};

// What an import would do, worked out against the project before anything is written.
struct AnnotationImportPlan
{
    QString source; // the file or folder read
    qint64 taskId = 0;
    FormatReadResult read;
    QStringList unknownClasses;       // named in the file, not in the task
    qsizetype matchedItems = 0;       // already in the project
    qsizetype missingItems = 0;       // not in the project (added, or skipped: see the options)
    qsizetype annotations = 0;        // that would be added
    qsizetype skippedAnnotations = 0; // of unknown classes, skipped items or with problems
    qsizetype alreadyPresent = 0;     // the same class and shape is on the item already
    QList<FormatProblem> problems;    // the file's, plus those found matching it to the project

    // How the file maps onto the project, for runAnnotationImport: per read item its id in the
    // project (0 when it is missing), the items to add (by read item index), and per read
    // item and annotation whether it goes in.
    QList<qint64> itemIds;
    QHash<qsizetype, Item> itemsToAdd;
    QList<QList<bool>> accepted;
};

struct AnnotationImportSummary
{
    qint64 importId = 0; // the import's record in the project (its problems are kept there)
    qsizetype itemsAdded = 0;
    qsizetype annotationsAdded = 0;
    QStringList classesAdded;
    qsizetype skippedAnnotations = 0;
    QList<FormatProblem> problems;
};

// Reads `path` with `format` and matches it to the task: images by absolute path (then by
// content hash), texts by content; classes by name. Writes nothing.
Result<AnnotationImportPlan> planAnnotationImport(const ProjectStore &store, const Format &format,
                                                  const QString &path,
                                                  const AnnotationImportOptions &options,
                                                  const Progress &progress = {});
// Applies a plan in one transaction: on any failure (or a cancel) the project is as it was.
// Refuses a plan with problems unless options.importValidPart is set.
Result<AnnotationImportSummary> runAnnotationImport(ProjectStore &store,
                                                    const AnnotationImportPlan &plan,
                                                    const AnnotationImportOptions &options,
                                                    const Progress &progress = {});

} // namespace fieldmark
