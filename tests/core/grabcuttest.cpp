// GrabCut proposals: the object inside a box on synthetic images where the truth is known.
#include "core/assist/grabcut.h"
#include "tests/core/resultassertions.h"

#include <QPainter>
#include <QRandomGenerator>

#include <opencv2/core.hpp>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

using test::failsMentioning;
using test::succeeds;

// A bright square on a dark, slightly noisy background (the noise keeps the colour models
// from being degenerate, as in a real photo).
QImage squareOnDark(QSize size, QRect square)
{
    QImage image(size, QImage::Format_RGB32);
    QRandomGenerator random(7);
    for (int y = 0; y < size.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < size.width(); ++x) {
            const int base = square.contains(x, y) ? 225 : 35;
            const int v = base + int(random.bounded(21)) - 10;
            line[x] = qRgb(v, v, std::min(255, v + 5));
        }
    }
    return image;
}

double iou(const RleMask &mask, const QRect &truth)
{
    qint64 intersection = 0;
    const QRect bounds = mask.bounds();
    const cv::Mat pixels = mask.toMat();
    for (int y = 0; y < pixels.rows; ++y) {
        for (int x = 0; x < pixels.cols; ++x) {
            if (pixels.at<uchar>(y, x) && truth.contains(bounds.x() + x, bounds.y() + y))
                ++intersection;
        }
    }
    const qint64 unionArea = mask.area() + qint64(truth.width()) * truth.height() - intersection;
    return unionArea ? double(intersection) / double(unionArea) : 0.0;
}

TEST(GrabCutTest, ABoxAroundABrightSquareGivesTheSquare)
{
    const QRect square(60, 50, 80, 70);
    const QImage image = squareOnDark(QSize(220, 180), square);
    auto mask = grabCutMask(image, square.adjusted(-15, -15, 15, 15));
    ASSERT_TRUE(succeeds(mask));
    EXPECT_GT(iou(*mask, square), 0.8);
    EXPECT_TRUE(mask->validate());
    // Cut to the object, not the box.
    EXPECT_TRUE(square.adjusted(-3, -3, 3, 3).contains(mask->bounds()));
}

TEST(GrabCutTest, ALargeRegionIsScaledDownAndStillFits)
{
    const QRect square(400, 300, 900, 700);
    const QImage image = squareOnDark(QSize(1800, 1400), square);
    GrabCutOptions options;
    options.maxPixels = 200'000; // forces a scale of about 0.35
    auto mask = grabCutMask(image, square.adjusted(-60, -60, 60, 60), options);
    ASSERT_TRUE(succeeds(mask));
    EXPECT_GT(iou(*mask, square), 0.8);
}

TEST(GrabCutTest, BoxesWithoutRoomAreRefusedWithAReason)
{
    const QImage image = squareOnDark(QSize(100, 80), QRect(20, 20, 40, 30));
    EXPECT_TRUE(failsMentioning(grabCutMask(image, QRect(0, 0, 100, 80)), {u"whole image"_s}));
    EXPECT_TRUE(failsMentioning(grabCutMask(image, QRect(10, 10, 2, 2)), {u"too small"_s}));
    EXPECT_TRUE(failsMentioning(grabCutMask(image, QRect(500, 500, 20, 20)), {u"too small"_s}));
}

TEST(GrabCutTest, TightMaskCutsToTheSetPixels)
{
    cv::Mat mask = cv::Mat::zeros(20, 30, CV_8UC1);
    mask(cv::Rect(5, 4, 3, 2)).setTo(255);
    const RleMask tight = tightMask(mask, QPoint(100, 200));
    EXPECT_EQ(tight.bounds(), QRect(105, 204, 3, 2));
    EXPECT_EQ(tight.area(), 6);
    EXPECT_TRUE(tightMask(cv::Mat::zeros(5, 5, CV_8UC1), QPoint()).isEmpty());
}

} // namespace
} // namespace fieldmark
