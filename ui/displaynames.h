#pragma once

#include "core/model/labeltask.h"

#include <QString>

namespace fieldmark {

// Names of core enums as a user reads them in the interface (translated), next to the
// portable names core uses on the command line and in files.
QString taskTypeDisplayName(TaskType type);

} // namespace fieldmark
