#pragma once

#include "core/formats/format.h"

namespace fieldmark {

// Pascal VOC XML (the VOCdevkit layout): a folder with Annotations/<image>.xml, one file per
// image with its size and one <object> per box, and ImageSets/Main/default.txt listing the
// annotation names. Classes are written by name, so VOC has no class ids to keep.
//
// Coordinates: VOC numbers pixels from 1 and its boxes include both end pixels, so a box that
// covers the pixels 0..9 in Fieldmark's 0-based, edge-to-edge coordinates (x 0, width 10) is
// xmin 1, xmax 10. Writing adds 1 to x and y and writes x + width, y + height as xmax, ymax;
// reading does the reverse, so whole-pixel boxes come back exactly. Fractional coordinates are
// written as decimals (shortest exact form) rather than rounded.
//
// The <object> flags difficult, truncated and occluded, and a pose other than "Unspecified",
// travel in Annotation::attributes as "difficult": true and so on; flags that are 0 are not
// stored, so a box without attributes round-trips to one without attributes.
class PascalVocFormat : public Format
{
public:
    QString name() const override;
    QString displayName() const override;
    FormatCapabilities capabilities() const override;

    LossReport lossReport(const ExportData &data) const override;

protected:
    // `path` is a VOC folder holding Annotations/, or a flat folder of .xml files (pointing at
    // a VOCdevkit's Annotations/ folder itself works too: its parent is then the dataset
    // folder). Images are looked up from <filename> beside the XML file, then in
    // ../JPEGImages/, then at <path>; an image outside the dataset folder is refused.
    Result<FormatReadResult> readPath(const QString &path, const Progress &progress) const override;
    // `path` is the folder to write into; it is created when missing. The files are built in
    // memory first, so a cancel leaves the folder untouched.
    Result<void> writeData(const ExportData &data, const QString &path,
                           const Progress &progress) const override;
};

} // namespace fieldmark
