#pragma once

#include "core/formats/format.h"
#include "core/labeling/learner.h"
#include "core/util/result.h"

#include <QHash>

namespace fieldmark {

class ProjectStore;

// The true answer of each item, for a simulated labeling run: read from a label file in any
// format that carries the task (a CSV or JSON Lines of texts and labels, a Ground Truth
// manifest, CoNLL for spans, ...), matched to the project's items as an import would match
// them. Single-label: the item's first class; multi-label: all its classes; spans: all its
// entities. An item the file names with nothing for the task is an empty answer in
// multi-label and span tasks (no labels, no entities) and left out in single-label ones; the
// file's problems are errors.
struct Oracle
{
    QHash<qint64, LearnerTruth> truth; // item id -> classes or spans by class position
    qsizetype unmatched = 0;           // records of the file that name no item of the project
};

Result<Oracle> readOracle(const ProjectStore &store, qint64 taskId, const Format &format,
                          const QString &path);

} // namespace fieldmark
