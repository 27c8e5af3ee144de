#pragma once

#include "core/formats/format.h"
#include "core/model/provenance.h"

#include <QList>

namespace fieldmark {

class ProjectStore;

// Which labels leave the project.
enum class ExportLabels {
    Reviewed, // human labels and machine labels a reviewer accepted or edited (the default)
    HumanOnly,
    All, // also machine labels not yet reviewed (never rejected ones)
};

QList<LabelState> labelStatesFor(ExportLabels labels);

// Reads one task's items and their chosen annotations from the store, as values for a
// Format to write. Items of the task's kind without chosen annotations are included (an
// image with no boxes is a negative example); `datasetRoot` makes image paths relative.
Result<ExportData> collectExportData(const ProjectStore &store, qint64 taskId, ExportLabels labels,
                                     const QString &datasetRoot = {});

} // namespace fieldmark
