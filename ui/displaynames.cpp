#include "displaynames.h"

#include <QCoreApplication>

namespace fieldmark {

QString taskTypeDisplayName(TaskType type)
{
    switch (type) {
    case TaskType::ImageClassification:
        return QCoreApplication::translate("fieldmark", "Image classification");
    case TaskType::ImageMultiLabel:
        return QCoreApplication::translate("fieldmark", "Image tags (multi-label)");
    case TaskType::Boxes:
        return QCoreApplication::translate("fieldmark", "Bounding boxes");
    case TaskType::Segmentation:
        return QCoreApplication::translate("fieldmark", "Segmentation (polygons, masks)");
    case TaskType::TextClassification:
        return QCoreApplication::translate("fieldmark", "Text classification");
    case TaskType::TextMultiLabel:
        return QCoreApplication::translate("fieldmark", "Text tags (multi-label)");
    case TaskType::Spans:
        return QCoreApplication::translate("fieldmark", "Named-entity spans");
    }
    return taskTypeName(type);
}

} // namespace fieldmark
