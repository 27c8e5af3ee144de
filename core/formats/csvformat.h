#pragma once

#include "core/formats/format.h"

namespace fieldmark {

// CSV with a header "item,label" (RFC 4180 quoting) for whole-item classes, images or texts:
// the item column holds an image's path (relative to the dataset folder, or without one to
// the CSV's folder, where it lies in it; absolute otherwise) or the text itself. Each (item, class)
// pair is a row of its own, so a multi-label item takes several rows; that is what pandas-based
// training scripts expect and it needs no second separator. An item without a class has no row.
//
// Reading takes both layouts: rows of one item are merged, and a label cell may also list
// several classes joined by ';'. A file is read as images when every item names an image
// file (by its suffix); the paths are resolved against the CSV's folder and a path leading out
// of it is refused. Image sizes come from the image headers.
class CsvFormat : public Format
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
