#pragma once

#include "core/formats/format.h"
#include "core/util/result.h"

#include <QHash>

namespace fieldmark {

class ProjectStore;

// The true class of each item, for a simulated labeling run: read from a label file in any
// format that carries the task (a CSV or JSON Lines of texts and labels, a Ground Truth
// manifest, ...), matched to the project's items as an import would match them. Items the file
// has no class for are left out; the file's problems are errors.
struct Oracle
{
    QHash<qint64, int> classes; // item id -> class position
    qsizetype unmatched = 0;    // records of the file that name no item of the project
};

Result<Oracle> readOracle(const ProjectStore &store, qint64 taskId, const Format &format,
                          const QString &path);

} // namespace fieldmark
