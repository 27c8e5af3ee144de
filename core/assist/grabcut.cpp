#include "grabcut.h"

#include <QCoreApplication>

#include <opencv2/imgproc.hpp>

#include <cmath>

namespace fieldmark {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("fieldmark::GrabCut", text);
}

// The region as 8-bit BGR, as OpenCV wants it (a copy: the image is shared with the canvas).
cv::Mat toBgr(const QImage &image, const QRect &region)
{
    const QImage rgb = image.copy(region).convertToFormat(QImage::Format_RGB888);
    const cv::Mat view(rgb.height(), rgb.width(), CV_8UC3, const_cast<uchar *>(rgb.constBits()),
                       size_t(rgb.bytesPerLine()));
    cv::Mat bgr;
    cv::cvtColor(view, bgr, cv::COLOR_RGB2BGR);
    return bgr;
}

// Keeps the largest 8-connected piece: GrabCut leaves specks of background that look like
// the object.
void keepLargestComponent(cv::Mat &mask)
{
    cv::Mat labels, stats, centroids;
    const int count = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
    if (count <= 2)
        return;
    int best = 1;
    for (int i = 2; i < count; ++i) {
        if (stats.at<int>(i, cv::CC_STAT_AREA) > stats.at<int>(best, cv::CC_STAT_AREA))
            best = i;
    }
    mask = (labels == best);
}

} // namespace

RleMask tightMask(const cv::Mat &mask, QPoint origin)
{
    std::vector<cv::Point> points;
    cv::findNonZero(mask, points);
    if (points.empty())
        return {};
    const cv::Rect bounds = cv::boundingRect(points);
    return RleMask::fromMat(mask(bounds), origin + QPoint(bounds.x, bounds.y));
}

Result<RleMask> grabCutMask(const QImage &image, const QRect &box, const GrabCutOptions &options,
                            const std::atomic_bool *cancel)
{
    const QRect inside = box.intersected(image.rect());
    if (inside.width() < 4 || inside.height() < 4)
        return makeError(tr("The box is too small for an assisted mask: draw it around the "
                            "object."));
    const QRect region =
        inside.adjusted(-options.margin, -options.margin, options.margin, options.margin)
            .intersected(image.rect());
    if (region == inside)
        return makeError(tr("The box covers the whole image: leave some background around "
                            "the object, so GrabCut can tell them apart."));
    try {
        cv::Mat bgr = toBgr(image, region);
        double scale = 1.0;
        const qint64 pixels = qint64(region.width()) * region.height();
        if (pixels > options.maxPixels) {
            scale = std::sqrt(double(options.maxPixels) / double(pixels));
            cv::resize(bgr, bgr, cv::Size(), scale, scale, cv::INTER_AREA);
        }
        cv::Rect rect(int(std::floor((inside.x() - region.x()) * scale)),
                      int(std::floor((inside.y() - region.y()) * scale)),
                      std::max(1, int(std::floor(inside.width() * scale))),
                      std::max(1, int(std::floor(inside.height() * scale))));
        rect &= cv::Rect(0, 0, bgr.cols, bgr.rows);
        cv::Mat labels(bgr.size(), CV_8UC1, cv::Scalar(cv::GC_BGD));
        cv::Mat background, foreground;
        cv::grabCut(bgr, labels, rect, background, foreground, 1, cv::GC_INIT_WITH_RECT);
        for (int i = 1; i < options.iterations; ++i) {
            if (cancel && cancel->load())
                return makeError(tr("The assisted mask was cancelled."));
            cv::grabCut(bgr, labels, rect, background, foreground, 1, cv::GC_EVAL);
        }
        cv::Mat mask = (labels == cv::GC_FGD) | (labels == cv::GC_PR_FGD);
        if (scale != 1.0) {
            cv::resize(mask, mask, cv::Size(region.width(), region.height()), 0, 0,
                       cv::INTER_NEAREST);
        }
        // Nothing outside the box the user drew.
        cv::Mat outside(mask.size(), CV_8UC1, cv::Scalar(0));
        outside(cv::Rect(inside.x() - region.x(), inside.y() - region.y(), inside.width(),
                         inside.height()))
            .setTo(255);
        mask &= outside;
        keepLargestComponent(mask);
        RleMask result = tightMask(mask, region.topLeft());
        if (result.isEmpty())
            return makeError(tr("GrabCut found no object inside the box."));
        return result;
    } catch (const cv::Exception &error) {
        return makeError(tr("GrabCut failed: %1").arg(QString::fromStdString(error.msg)));
    }
}

} // namespace fieldmark
