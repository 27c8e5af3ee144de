#pragma once

#include "core/formats/format.h"

namespace fieldmark {

// Amazon SageMaker Ground Truth manifests (JSON Lines, one object per item), as the labeling
// job output documents them (https://docs.aws.amazon.com/sagemaker/latest/dg/sms-data-output.html).
// Input lines carry "source-ref" (an image) or "source" (a text); output lines add a label
// attribute named after the task and "<attribute>-metadata" (type, class-name / class-map,
// confidence, human-annotated, creation-date, job-name). Semantic segmentation labels are
// indexed PNGs in a folder beside the manifest ("<manifest base>-labels/<image>.png"),
// referred to by the "<attribute>-ref" label; their colour table holds the internal-color-map's
// hex colours, and they are read back by colour, as Ground Truth defines them. Class ids are
// the task's class positions (segmentation: position + 1, 0 the white BACKGROUND), so a
// renamed class keeps its id. Box coordinates are written as they are, not rounded.
//
// Ground Truth keeps one human-annotated flag and one creation-date per line, so they are
// written from all labels of the item: "no" only when every label is an unreviewed machine
// label, and the latest label time. Confidences are kept per object (boxes, entities), per
// class (multi-label; segmentation per class and image) or per item (single-label classes).
//
// Reading: the label attribute is the first one (in key order) of the first line whose
// metadata has a type Fieldmark knows; every other key is kept as the item's extra fields.
// An s3:// source-ref is looked up as its key, then its file name, relative to the manifest.
class GroundTruthFormat : public Format
{
public:
    QString name() const override;
    QString displayName() const override;
    FormatCapabilities capabilities() const override;
    QString fileFilter() const override;

    LossReport lossReport(const ExportData &data) const override;

    // The label attribute written for a task: its name made safe for Ground Truth (letters,
    // digits and single hyphens), ending in "-ref" for semantic segmentation.
    static QString labelAttributeName(const LabelTask &task);
    // The folder of segmentation label maps written beside `manifestPath`.
    static QString labelFolderFor(const QString &manifestPath);

protected:
    Result<FormatReadResult> readPath(const QString &path, const Progress &progress) const override;
    Result<void> writeData(const ExportData &data, const QString &path,
                           const Progress &progress) const override;
};

} // namespace fieldmark
