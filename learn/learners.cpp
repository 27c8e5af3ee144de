#include "learners.h"

#include "imageclassifier.h"
#include "spantagger.h"
#include "textclassifier.h"

namespace fieldmark {

std::unique_ptr<Learner> createLearner(TaskType type)
{
    switch (type) {
    case TaskType::ImageClassification:
    case TaskType::ImageMultiLabel:
        return std::make_unique<ImageClassifierLearner>();
    case TaskType::TextClassification:
    case TaskType::TextMultiLabel:
        return std::make_unique<TextClassifierLearner>();
    case TaskType::Spans:
        return std::make_unique<SpanTaggerLearner>();
    case TaskType::Boxes:
    case TaskType::Segmentation:
        break;
    }
    return nullptr;
}

QList<TaskType> learnableTaskTypes()
{
    return {TaskType::ImageClassification, TaskType::ImageMultiLabel, TaskType::TextClassification,
            TaskType::TextMultiLabel, TaskType::Spans};
}

} // namespace fieldmark
