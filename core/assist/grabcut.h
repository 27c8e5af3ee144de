#pragma once

#include "core/model/rlemask.h"
#include "core/util/result.h"

#include <QImage>
#include <QRect>

#include <atomic>

namespace cv {
class Mat;
}

namespace fieldmark {

// Assisted masks: OpenCV's GrabCut separates the object inside a box from the background
// around it, and the biggest piece it finds becomes the proposed mask. Runs on a worker
// thread (it takes from a few milliseconds to a second); the image is only read.
struct GrabCutOptions
{
    int iterations = 5;
    // Background pixels around the box that GrabCut learns the background from.
    int margin = 16;
    // Larger regions are scaled down to about this many pixels first, and the mask scaled
    // back up: the object's outline stays, and a box over a 20,000-pixel image stays quick.
    qint64 maxPixels = 1'000'000;
};

Result<RleMask> grabCutMask(const QImage &image, const QRect &box,
                            const GrabCutOptions &options = {},
                            const std::atomic_bool *cancel = nullptr);

// The set pixels of an 8-bit mask as an RleMask cut to their bounding box; `origin` is where
// the mask's top-left corner lies in the image. Empty when no pixel is set.
RleMask tightMask(const cv::Mat &mask, QPoint origin);

} // namespace fieldmark
