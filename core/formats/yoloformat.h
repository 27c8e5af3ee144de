#pragma once

#include "core/formats/format.h"

namespace fieldmark {

// YOLO txt (Ultralytics detection and segmentation layout): a folder with labels/<image>.txt,
// one object a line as normalised numbers ("class cx cy w h" for a box, "class x1 y1 x2 y2 ..."
// for a polygon), and the class names in classes.txt and data.yaml. Class ids are the task's
// class positions, so a renamed class keeps its id. Fieldmark does not copy images, so an
// export also lists their absolute paths in images.txt, which the reader uses to find images
// that are not in an images/ folder beside labels/.
class YoloFormat : public Format
{
public:
    QString name() const override;
    QString displayName() const override;
    FormatCapabilities capabilities() const override;

    LossReport lossReport(const ExportData &data) const override;

protected:
    // `path` is the folder holding classes.txt or data.yaml and labels/.
    Result<FormatReadResult> readPath(const QString &path, const Progress &progress) const override;
    // `path` is the folder to write into; it is created when missing.
    Result<void> writeData(const ExportData &data, const QString &path,
                           const Progress &progress) const override;
};

} // namespace fieldmark
