#pragma once

#include "core/formats/format.h"

namespace fieldmark {

// PNG label maps (semantic segmentation, Pascal VOC / CVAT "segmentation mask" style): a
// folder with
//   labelmap.txt         "name:r,g,b::" a line; the line's place is the pixel value, the
//                        first line the background (0); a class at position p is p + 1;
//   labels/<image>.png   one 8-bit indexed PNG per image, its colour table the class colours,
//                        named after the image's path inside the dataset folder (its file
//                        name when outside; without the images/ of an export's copies);
//   images.txt           "labels/<image>.png<TAB><image path>" a line, so each label map
//                        finds its image wherever the project keeps it (relative to the
//                        folder for images inside it, so the export can move).
// Reading finds a label map's image at images/<same path>.<jpg|png|...> first, then through
// images.txt (a line without a tab is matched by file name, as YOLO's images.txt is). Indexed
// and grey PNGs are read by value, other PNGs by colour through labelmap.txt; each class
// present becomes one mask. A value 255 that labelmap.txt does not list is Pascal VOC's
// "void" border and reads as background.
class LabelMapFormat : public Format
{
public:
    QString name() const override;
    QString displayName() const override;
    FormatCapabilities capabilities() const override;

    LossReport lossReport(const ExportData &data) const override;

protected:
    // `path` is the folder holding labelmap.txt and labels/.
    Result<FormatReadResult> readPath(const QString &path, const Progress &progress) const override;
    // `path` is the folder to write into; it is created when missing. labels/ is replaced
    // whole, or not at all on a failure or a cancel.
    Result<void> writeData(const ExportData &data, const QString &path,
                           const Progress &progress) const override;
};

} // namespace fieldmark
