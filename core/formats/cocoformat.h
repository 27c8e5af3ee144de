#pragma once

#include "core/formats/format.h"

namespace fieldmark {

// COCO JSON (https://cocodataset.org/#format-data): one file with the image list, boxes,
// polygons and masks (uncompressed RLE on write; both RLE forms on read) and the categories.
// Category ids are the task's class positions plus one, so a renamed class keeps its id.
class CocoFormat : public Format
{
public:
    QString name() const override;
    QString displayName() const override;
    FormatCapabilities capabilities() const override;
    QString fileFilter() const override;

    LossReport lossReport(const ExportData &data) const override;

protected:
    Result<FormatReadResult> readPath(const QString &path, const Progress &progress) const override;
    Result<void> writeData(const ExportData &data, const QString &path,
                           const Progress &progress) const override;
};

} // namespace fieldmark
