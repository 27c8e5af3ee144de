#pragma once

#include "core/formats/format.h"

namespace fieldmark {

// labelme JSON (the labelme 5.x schema): a folder with one <image>.json per image holding its
// shapes ("rectangle" as two corners, "polygon", "circle", labelme 5.3's "mask" with a base64
// PNG over its two corners), imagePath relative to the JSON file, the image size, and the
// top-level "flags" map, labelme's own place for whole-image labels (labelme --flags), which
// carries image-class and multi-label tasks: a flag set to true is a class tag.
//
// Reading: circles become polygons whose edge stays within a quarter pixel of the circle
// (Fieldmark has no circle shape; the conversion is not reported as a problem because nothing
// of the area is lost). "point", "line", "linestrip" and "points" shapes enclose no area and
// are reported as problems, like unknown shape types. A shape's group_id, flags and
// description go into its attributes and come back on writing. Coordinates are labelme's:
// pixels edge to edge from the image's top-left corner, as Fieldmark's.
//
// Writing: masks become polygons from their outer outlines (holes are lost; lossReport says
// so), imageData is null (Fieldmark links images, it does not embed them), and image-class
// tasks write every class as a flag, true where the item has it.
class LabelmeFormat : public Format
{
public:
    QString name() const override;
    QString displayName() const override;
    FormatCapabilities capabilities() const override;

    LossReport lossReport(const ExportData &data) const override;

protected:
    // `path` is a folder searched with its subfolders for .json files (or one .json file).
    // imagePath must lead to an image inside that folder; others are refused.
    Result<FormatReadResult> readPath(const QString &path, const Progress &progress) const override;
    // `path` is the folder to write into; it is created when missing. imagePath is written
    // relative to it, as labelme does (climbing out with "../" for images elsewhere). The
    // files are built in memory first, so a cancel leaves the folder untouched.
    Result<void> writeData(const ExportData &data, const QString &path,
                           const Progress &progress) const override;
};

} // namespace fieldmark
