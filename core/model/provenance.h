#pragma once

#include "core/util/result.h"

#include <QString>

#include <optional>

namespace fieldmark {

// How a label came to be, and where it is in review.
enum class LabelState {
    Human = 0,           // drawn or chosen by a person
    Machine = 1,         // pre-filled by a model, awaiting review
    MachineAccepted = 2, // pre-filled by a model, accepted unchanged by a reviewer
    MachineEdited = 3,   // pre-filled by a model, corrected by a reviewer
    Rejected = 4,        // pre-filled by a model, rejected by a reviewer (kept for the record)
};

QString labelStateName(LabelState state);
Result<LabelState> labelStateFromName(const QString &name);

// Who made a label, how, how sure, and when. Every annotation carries one.
struct Provenance
{
    LabelState state = LabelState::Human;
    qint64 annotatorId = 0; // the person, for human and reviewed labels (0: unknown)
    qint64 modelId = 0;     // the checkpoint that predicted it, for machine labels (0: none)
    std::optional<double> confidence;
    qint64 timeMs = 0; // milliseconds since the epoch, UTC
};

} // namespace fieldmark
