#pragma once

#include "core/labeling/learner.h"

#include <memory>

namespace fieldmark {

// The built-in learner for a task type, or nullptr where there is none yet (boxes and
// segmentation come later).
std::unique_ptr<Learner> createLearner(TaskType type);

// The task types createLearner() answers for.
QList<TaskType> learnableTaskTypes();

} // namespace fieldmark
