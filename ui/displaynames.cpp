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

QString itemLabelStateDisplayName(ItemLabelState state)
{
    switch (state) {
    case ItemLabelState::Unlabeled:
        return QCoreApplication::translate("fieldmark", "Unlabeled");
    case ItemLabelState::Human:
        return QCoreApplication::translate("fieldmark", "Labeled by a person");
    case ItemLabelState::AwaitingReview:
        return QCoreApplication::translate("fieldmark", "Awaiting review");
    case ItemLabelState::Accepted:
        return QCoreApplication::translate("fieldmark", "Machine labels accepted");
    case ItemLabelState::Rejected:
        return QCoreApplication::translate("fieldmark", "Machine labels rejected");
    case ItemLabelState::Skipped:
        return QCoreApplication::translate("fieldmark", "Nothing to label");
    }
    return {};
}

QString labelStateDisplayName(LabelState state)
{
    switch (state) {
    case LabelState::Human:
        return QCoreApplication::translate("fieldmark", "Person");
    case LabelState::Machine:
        return QCoreApplication::translate("fieldmark", "Machine, awaiting review");
    case LabelState::MachineAccepted:
        return QCoreApplication::translate("fieldmark", "Machine, accepted");
    case LabelState::MachineEdited:
        return QCoreApplication::translate("fieldmark", "Machine, corrected");
    case LabelState::Rejected:
        return QCoreApplication::translate("fieldmark", "Machine, rejected");
    }
    return labelStateName(state);
}

QString exportLabelsDisplayName(ExportLabels labels)
{
    switch (labels) {
    case ExportLabels::Reviewed:
        return QCoreApplication::translate("fieldmark",
                                           "Reviewed (human and accepted machine labels)");
    case ExportLabels::HumanOnly:
        return QCoreApplication::translate("fieldmark", "Human labels only");
    case ExportLabels::All:
        return QCoreApplication::translate("fieldmark", "All (also machine labels not reviewed)");
    }
    return {};
}

QString exportMediaDisplayName(ExportMedia media)
{
    switch (media) {
    case ExportMedia::Reference:
        return QCoreApplication::translate("fieldmark", "Refer to the images where they are");
    case ExportMedia::Copy:
        return QCoreApplication::translate("fieldmark", "Copy the images into the export");
    case ExportMedia::Link:
        return QCoreApplication::translate("fieldmark", "Link to the images (symbolic links)");
    }
    return {};
}

QString exportMediaDescription(ExportMedia media)
{
    switch (media) {
    case ExportMedia::Reference:
        return QCoreApplication::translate(
            "fieldmark", "The annotations name the images in the folders the project keeps them "
                         "in; nothing is copied.");
    case ExportMedia::Copy:
        return QCoreApplication::translate(
            "fieldmark", "The images are copied next to the annotations, so the export can be "
                         "moved to another machine as one folder.");
    case ExportMedia::Link:
        return QCoreApplication::translate(
            "fieldmark", "Symbolic links next to the annotations point at the project's images: "
                         "the layout of a copy without the disk space.");
    }
    return {};
}

} // namespace fieldmark
