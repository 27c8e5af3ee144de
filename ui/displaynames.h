#pragma once

#include "core/formats/exportdata.h"
#include "core/formats/exporter.h"
#include "core/model/labeltask.h"
#include "core/model/provenance.h"
#include "core/store/projectstore.h"

#include <QString>

namespace fieldmark {

// Names of core enums as a user reads them in the interface (translated), next to the
// portable names core uses on the command line and in files.
QString taskTypeDisplayName(TaskType type);
// Where an item stands for a task ("Awaiting review"), for the browser and its filter.
QString itemLabelStateDisplayName(ItemLabelState state);
// How one label came to be ("Machine, awaiting review").
QString labelStateDisplayName(LabelState state);
// Which labels leave the project, as a choice in the export dialog.
QString exportLabelsDisplayName(ExportLabels labels);
// What an export does with the images, as a choice in the export dialog...
QString exportMediaDisplayName(ExportMedia media);
// ...and what that means, for its tooltip.
QString exportMediaDescription(ExportMedia media);

} // namespace fieldmark
