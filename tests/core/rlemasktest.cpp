// Tests for RleMask: conversion from and to cv::Mat, queries, the byte format and its
// defences against corrupt data.

#include "core/model/rlemask.h"

#include <gtest/gtest.h>

#include "resultassertions.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdint>
#include <optional>
#include <random>

using namespace fieldmark;
using namespace fieldmark::test;
using namespace Qt::StringLiterals;

namespace {

// Both as 0 / 255, so that masks with other non-zero values compare by what they mean.
testing::AssertionResult sameMask(const cv::Mat &expected, const cv::Mat &actual)
{
    if (expected.size() != actual.size())
        return testing::AssertionFailure()
               << "sizes differ: " << expected.cols << 'x' << expected.rows << " vs " << actual.cols
               << 'x' << actual.rows;
    if (actual.type() != CV_8UC1)
        return testing::AssertionFailure() << "type is " << actual.type() << ", not CV_8UC1";
    const cv::Mat a = expected != 0;
    const cv::Mat b = actual != 0;
    const int differing = cv::countNonZero(a != b);
    if (differing)
        return testing::AssertionFailure() << differing << " pixels differ";
    const int notBinary = cv::countNonZero((actual != 0) & (actual != 255));
    if (notBinary)
        return testing::AssertionFailure() << notBinary << " pixels are neither 0 nor 255";
    return testing::AssertionSuccess();
}

cv::Mat randomMask(std::mt19937 &rng, int width, int height, double density)
{
    cv::Mat mat(height, width, CV_8UC1);
    std::bernoulli_distribution set(density);
    std::uniform_int_distribution<int> value(1, 255);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x)
            mat.at<uchar>(y, x) = set(rng) ? uchar(value(rng)) : uchar(0);
    }
    return mat;
}

// Blobby masks (long runs) are what a brush produces; noise has runs of length one or two.
cv::Mat randomBlobs(std::mt19937 &rng, int width, int height)
{
    cv::Mat mat = cv::Mat::zeros(height, width, CV_8UC1);
    std::uniform_int_distribution<int> xs(0, width - 1), ys(0, height - 1), rs(1, 30);
    for (int i = 0; i < 8; ++i)
        cv::circle(mat, cv::Point(xs(rng), ys(rng)), rs(rng), cv::Scalar(255), cv::FILLED);
    return mat;
}

// Every invariant a mask made by fromMat must hold.
void expectFaithful(const cv::Mat &source, const RleMask &rle, QPoint origin)
{
    EXPECT_EQ(rle.bounds(), QRect(origin, QSize(source.cols, source.rows)));
    EXPECT_TRUE(succeeds(rle.validate()));
    EXPECT_EQ(rle.area(), cv::countNonZero(source));
    EXPECT_EQ(rle.isEmpty(), cv::countNonZero(source) == 0);
    EXPECT_TRUE(sameMask(source, rle.toMat()));
    // Canonical: only the first run may be empty.
    for (qsizetype i = 1; i < rle.counts().size(); ++i)
        EXPECT_GT(rle.counts()[i], 0u) << "run " << i;
    for (int y = 0; y < source.rows; ++y) {
        for (int x = 0; x < source.cols; ++x) {
            ASSERT_EQ(rle.contains(origin.x() + x, origin.y() + y), source.at<uchar>(y, x) != 0)
                << "pixel " << x << ", " << y;
        }
    }
    auto decoded = RleMask::fromBytes(rle.toBytes());
    ASSERT_TRUE(succeeds(decoded));
    EXPECT_EQ(*decoded, rle);
}

void appendVarint(QByteArray &out, quint64 value)
{
    do {
        uchar byte = value & 0x7f;
        value >>= 7;
        if (value)
            byte |= 0x80;
        out.append(char(byte));
    } while (value);
}

quint64 zigzag(qint64 v)
{
    return (quint64(v) << 1) ^ quint64(v >> 63);
}

// Hand-made bytes in the documented layout: x, y (zigzag), width, height, run count, runs.
QByteArray encode(qint64 x, qint64 y, quint64 width, quint64 height,
                  std::initializer_list<quint64> runs, std::optional<quint64> declaredRuns = {})
{
    QByteArray out;
    appendVarint(out, zigzag(x));
    appendVarint(out, zigzag(y));
    appendVarint(out, width);
    appendVarint(out, height);
    appendVarint(out, declaredRuns.value_or(runs.size()));
    for (quint64 run : runs)
        appendVarint(out, run);
    return out;
}

} // namespace

TEST(RleMaskTest, RandomNoiseRoundTrips)
{
    std::mt19937 rng(20240611);
    std::uniform_int_distribution<int> sizes(1, 64);
    std::uniform_int_distribution<int> origins(-50, 500);
    const double densities[] = {0.01, 0.1, 0.5, 0.9, 0.99};
    for (int round = 0; round < 40; ++round) {
        const int width = sizes(rng), height = sizes(rng);
        const QPoint origin(origins(rng), origins(rng));
        const cv::Mat source = randomMask(rng, width, height, densities[round % 5]);
        SCOPED_TRACE(testing::Message() << "round " << round << ", " << width << 'x' << height);
        expectFaithful(source, RleMask::fromMat(source, origin), origin);
    }
}

TEST(RleMaskTest, RandomBlobsRoundTrip)
{
    std::mt19937 rng(7);
    for (int round = 0; round < 10; ++round) {
        const cv::Mat source = randomBlobs(rng, 160, 90);
        SCOPED_TRACE(testing::Message() << "round " << round);
        expectFaithful(source, RleMask::fromMat(source, QPoint(3, 4)), QPoint(3, 4));
    }
}

TEST(RleMaskTest, AllZero)
{
    const cv::Mat source = cv::Mat::zeros(7, 13, CV_8UC1);
    const RleMask rle = RleMask::fromMat(source);
    EXPECT_EQ(rle.counts(), QVector<quint32>({7 * 13}));
    EXPECT_EQ(rle.area(), 0);
    EXPECT_TRUE(rle.isEmpty());
    expectFaithful(source, rle, QPoint());
}

TEST(RleMaskTest, AllSet)
{
    const cv::Mat source(7, 13, CV_8UC1, cv::Scalar(255));
    const RleMask rle = RleMask::fromMat(source);
    EXPECT_EQ(rle.counts(), QVector<quint32>({0, 7 * 13}));
    EXPECT_EQ(rle.area(), 7 * 13);
    EXPECT_FALSE(rle.isEmpty());
    expectFaithful(source, rle, QPoint());
}

TEST(RleMaskTest, StartsWithSetPixel)
{
    cv::Mat source = cv::Mat::zeros(3, 4, CV_8UC1);
    source.at<uchar>(0, 0) = 255;
    source.at<uchar>(0, 1) = 255;
    source.at<uchar>(2, 3) = 9;
    const RleMask rle = RleMask::fromMat(source);
    EXPECT_EQ(rle.counts(), QVector<quint32>({0, 2, 9, 1}));
    EXPECT_TRUE(rle.contains(0, 0));
    EXPECT_TRUE(rle.contains(1, 0));
    EXPECT_FALSE(rle.contains(2, 0));
    EXPECT_TRUE(rle.contains(3, 2));
    expectFaithful(source, rle, QPoint());
}

TEST(RleMaskTest, RunsContinueAcrossRows)
{
    // Row-major: the set pixel at the end of row 0 and the start of row 1 are one run.
    cv::Mat source = cv::Mat::zeros(2, 3, CV_8UC1);
    source.at<uchar>(0, 2) = 255;
    source.at<uchar>(1, 0) = 255;
    const RleMask rle = RleMask::fromMat(source);
    EXPECT_EQ(rle.counts(), QVector<quint32>({2, 2, 2}));
    expectFaithful(source, rle, QPoint());
}

TEST(RleMaskTest, OnePixel)
{
    const cv::Mat off = cv::Mat::zeros(1, 1, CV_8UC1);
    const RleMask rleOff = RleMask::fromMat(off, QPoint(5, 6));
    EXPECT_EQ(rleOff.counts(), QVector<quint32>({1}));
    EXPECT_EQ(rleOff.bounds(), QRect(5, 6, 1, 1));
    EXPECT_FALSE(rleOff.contains(5, 6));
    expectFaithful(off, rleOff, QPoint(5, 6));

    const cv::Mat on(1, 1, CV_8UC1, cv::Scalar(1));
    const RleMask rleOn = RleMask::fromMat(on, QPoint(5, 6));
    EXPECT_EQ(rleOn.counts(), QVector<quint32>({0, 1}));
    EXPECT_EQ(rleOn.area(), 1);
    EXPECT_TRUE(rleOn.contains(5, 6));
    expectFaithful(on, rleOn, QPoint(5, 6));
}

TEST(RleMaskTest, SingleRowAndColumn)
{
    std::mt19937 rng(99);
    const cv::Mat row = randomMask(rng, 300, 1, 0.5);
    expectFaithful(row, RleMask::fromMat(row), QPoint());
    const cv::Mat column = randomMask(rng, 1, 300, 0.5);
    expectFaithful(column, RleMask::fromMat(column), QPoint());
}

TEST(RleMaskTest, FromNonContinuousRegion)
{
    std::mt19937 rng(3);
    const cv::Mat big = randomMask(rng, 50, 40, 0.3);
    const cv::Mat region = big(cv::Rect(7, 5, 20, 11));
    ASSERT_FALSE(region.isContinuous());
    expectFaithful(region, RleMask::fromMat(region, QPoint(7, 5)), QPoint(7, 5));
}

TEST(RleMaskTest, ContainsIsFalseOutsideTheBounds)
{
    const cv::Mat source(4, 5, CV_8UC1, cv::Scalar(255));
    const RleMask rle = RleMask::fromMat(source, QPoint(10, 20));
    EXPECT_TRUE(rle.contains(10, 20));
    EXPECT_TRUE(rle.contains(14, 23));
    EXPECT_FALSE(rle.contains(9, 20));
    EXPECT_FALSE(rle.contains(10, 19));
    EXPECT_FALSE(rle.contains(15, 20));
    EXPECT_FALSE(rle.contains(10, 24));
    EXPECT_FALSE(rle.contains(0, 0));
    EXPECT_FALSE(RleMask().contains(0, 0));
}

TEST(RleMaskTest, AreaCountsOddRuns)
{
    const RleMask rle(QRect(0, 0, 10, 2), {3, 4, 5, 6, 2});
    EXPECT_EQ(rle.area(), 10);
    EXPECT_TRUE(succeeds(rle.validate()));
    const cv::Mat mat = rle.toMat();
    EXPECT_EQ(cv::countNonZero(mat), 10);
    EXPECT_EQ(mat.at<uchar>(0, 2), 0);
    EXPECT_EQ(mat.at<uchar>(0, 3), 255);
    EXPECT_EQ(mat.at<uchar>(0, 6), 255);
    EXPECT_EQ(mat.at<uchar>(0, 7), 0);
    EXPECT_EQ(mat.at<uchar>(1, 1), 0);
    EXPECT_EQ(mat.at<uchar>(1, 2), 255);
    EXPECT_EQ(mat.at<uchar>(1, 7), 255);
    EXPECT_EQ(mat.at<uchar>(1, 8), 0);
}

TEST(RleMaskTest, DefaultMaskIsEmptyAndInvalid)
{
    const RleMask rle;
    EXPECT_TRUE(rle.isEmpty());
    EXPECT_EQ(rle.area(), 0);
    EXPECT_TRUE(rle.toMat().empty());
    EXPECT_TRUE(failsMentioning(rle.validate(), {u"empty bounds"_s}));
}

TEST(RleMaskTest, ValidateNamesTheMismatch)
{
    EXPECT_TRUE(
        failsMentioning(RleMask(QRect(0, 0, 3, 3), {2, 3}).validate(), {u"5"_s, u"3x3"_s, u"9"_s}));
    EXPECT_TRUE(failsMentioning(RleMask(QRect(0, 0, 3, 3), {2, 3, 5}).validate(),
                                {u"10"_s, u"3x3"_s, u"9"_s}));
    EXPECT_TRUE(succeeds(RleMask(QRect(0, 0, 3, 3), {2, 3, 4}).validate()));
}

TEST(RleMaskTest, ToMatIgnoresRunsPastTheBounds)
{
    // An invalid mask must not write outside its matrix.
    const RleMask rle(QRect(0, 0, 3, 3), {2, 100, 7, 1000});
    const cv::Mat mat = rle.toMat();
    ASSERT_EQ(mat.rows, 3);
    ASSERT_EQ(mat.cols, 3);
    EXPECT_EQ(cv::countNonZero(mat), 7);
}

TEST(RleMaskTest, EqualityComparesBoundsAndRuns)
{
    const RleMask a(QRect(0, 0, 2, 2), {1, 3});
    EXPECT_EQ(a, RleMask(QRect(0, 0, 2, 2), {1, 3}));
    EXPECT_NE(a, RleMask(QRect(1, 0, 2, 2), {1, 3}));
    EXPECT_NE(a, RleMask(QRect(0, 0, 2, 2), {2, 2}));
}

// ---------------------------------------------------------------------------------------------
// Bytes

TEST(RleMaskBytesTest, RoundTripWithNegativeAndLargeOrigins)
{
    std::mt19937 rng(11);
    const cv::Mat source = randomBlobs(rng, 70, 50);
    const QPoint origins[] = {{0, 0}, {-1, -1}, {-4000, 12}, {123456, -654321}, {1 << 29, 0}};
    for (const QPoint origin : origins) {
        const RleMask rle = RleMask::fromMat(source, origin);
        auto decoded = RleMask::fromBytes(rle.toBytes());
        ASSERT_TRUE(succeeds(decoded)) << origin.x() << ", " << origin.y();
        EXPECT_EQ(*decoded, rle);
        EXPECT_EQ(decoded->bounds().topLeft(), origin);
    }
}

TEST(RleMaskBytesTest, LongRunsRoundTrip)
{
    // Runs beyond 2^14 and 2^21 need three and four varint bytes.
    cv::Mat source = cv::Mat::zeros(2000, 3000, CV_8UC1);
    source(cv::Rect(0, 1000, 3000, 900)).setTo(255);
    const RleMask rle = RleMask::fromMat(source);
    ASSERT_EQ(rle.counts(), QVector<quint32>({3000000, 2700000, 300000}));
    auto decoded = RleMask::fromBytes(rle.toBytes());
    ASSERT_TRUE(succeeds(decoded));
    EXPECT_EQ(*decoded, rle);
    EXPECT_LT(rle.toBytes().size(), 20);
}

TEST(RleMaskBytesTest, HandMadeBytesDecode)
{
    auto decoded = RleMask::fromBytes(encode(-2, 3, 4, 2, {1, 6, 1}));
    ASSERT_TRUE(succeeds(decoded));
    EXPECT_EQ(decoded->bounds(), QRect(-2, 3, 4, 2));
    EXPECT_EQ(decoded->counts(), QVector<quint32>({1, 6, 1}));
    EXPECT_EQ(decoded->area(), 6);
    EXPECT_EQ(decoded->toBytes(), encode(-2, 3, 4, 2, {1, 6, 1}));
}

TEST(RleMaskBytesTest, EmptyBytesAreAnError)
{
    EXPECT_TRUE(failsMentioning(RleMask::fromBytes(QByteArray()), {u"truncated"_s}));
}

TEST(RleMaskBytesTest, EveryTruncationIsAnError)
{
    std::mt19937 rng(5);
    const cv::Mat source = randomMask(rng, 20, 10, 0.4);
    const QByteArray bytes = RleMask::fromMat(source, QPoint(300, -7)).toBytes();
    for (qsizetype length = 0; length < bytes.size(); ++length) {
        EXPECT_TRUE(failsMentioning(RleMask::fromBytes(bytes.left(length)), {u"truncated"_s}))
            << "cut to " << length << " of " << bytes.size() << " bytes";
    }
}

TEST(RleMaskBytesTest, ImplausibleHeaderIsAnError)
{
    EXPECT_TRUE(failsMentioning(RleMask::fromBytes(encode(0, 0, (1u << 20) + 1, 1, {0})),
                                {u"implausible"_s, u"1048577x1"_s}));
    EXPECT_TRUE(failsMentioning(RleMask::fromBytes(encode(0, 0, 1, quint64(1) << 40, {0})),
                                {u"implausible"_s}));
    // More runs than a 2x2 mask can have (at most 5: an empty first run, then one per pixel).
    EXPECT_TRUE(failsMentioning(RleMask::fromBytes(encode(0, 0, 2, 2, {0, 1, 1, 1, 1, 0})),
                                {u"implausible"_s, u"6 runs"_s}));
    EXPECT_TRUE(succeeds(RleMask::fromBytes(encode(0, 0, 2, 2, {0, 1, 1, 1, 1}))));
}

TEST(RleMaskBytesTest, HugeDeclaredRunCountWithoutDataIsAnError)
{
    // The header passes the plausibility check, but the runs are missing: a corrupt blob must
    // give an error, not an attempt to reserve terabytes.
    QByteArray bytes = encode(0, 0, 1u << 20, 1u << 20, {}, quint64(1) << 40);
    auto decoded = RleMask::fromBytes(QByteArray());
    EXPECT_NO_THROW(decoded = RleMask::fromBytes(bytes));
    EXPECT_TRUE(failsMentioning(decoded, {u"truncated"_s}));
}

TEST(RleMaskBytesTest, OriginOutsideIntRangeIsAnError)
{
    // x = 2^33 does not fit the int of a QRect; it must not be silently wrapped to 0.
    auto decoded = RleMask::fromBytes(encode(qint64(1) << 33, 0, 2, 2, {4}));
    EXPECT_FALSE(decoded.ok()) << "decoded with bounds x = " << decoded->bounds().x();
}

TEST(RleMaskBytesTest, RunsNotCoveringTheBoundsAreAnError)
{
    EXPECT_TRUE(failsMentioning(RleMask::fromBytes(encode(0, 0, 3, 3, {2, 3})),
                                {u"cover 5"_s, u"3x3"_s, u"9"_s}));
    EXPECT_TRUE(failsMentioning(RleMask::fromBytes(encode(0, 0, 3, 3, {2, 3, 5})),
                                {u"cover 10"_s, u"9"_s}));
    EXPECT_TRUE(failsMentioning(RleMask::fromBytes(encode(0, 0, 3, 3, {})), {u"cover 0"_s}));
}

TEST(RleMaskBytesTest, EmptyBoundsAreAnError)
{
    EXPECT_TRUE(failsMentioning(RleMask::fromBytes(encode(0, 0, 0, 5, {0})), {u"empty"_s}));
    EXPECT_TRUE(failsMentioning(RleMask::fromBytes(encode(0, 0, 5, 0, {0})), {u"empty"_s}));
}

TEST(RleMaskBytesTest, RunLargerThan32BitsIsAnError)
{
    EXPECT_FALSE(RleMask::fromBytes(encode(0, 0, 1, 1, {quint64(1) << 32})).ok());
}

TEST(RleMaskBytesTest, EndlessVarintIsAnError)
{
    // Continuation bits that never stop.
    EXPECT_TRUE(failsMentioning(RleMask::fromBytes(QByteArray(100, '\x80')), {u"truncated"_s}));
    QByteArray bytes = encode(0, 0, 1, 1, {}, 1);
    bytes.append(QByteArray(20, '\xff'));
    EXPECT_FALSE(RleMask::fromBytes(bytes).ok());
}

TEST(RleMaskBytesTest, RandomGarbageNeverCrashes)
{
    std::mt19937 rng(1234);
    std::uniform_int_distribution<int> byte(0, 255), length(0, 40);
    for (int i = 0; i < 2000; ++i) {
        QByteArray bytes;
        const int n = length(rng);
        for (int j = 0; j < n; ++j)
            bytes.append(char(byte(rng)));
        auto decoded = RleMask::fromBytes(bytes);
        if (decoded) {
            EXPECT_TRUE(succeeds(decoded->validate()));
        }
    }
}

TEST(RleMaskBytesTest, FilledDiscIsCompact)
{
    cv::Mat source = cv::Mat::zeros(1000, 1000, CV_8UC1);
    cv::circle(source, cv::Point(500, 500), 200, cv::Scalar(255), cv::FILLED);
    const RleMask rle = RleMask::fromMat(source);
    const QByteArray bytes = rle.toBytes();
    EXPECT_LT(bytes.size(), 3000) << "a 1000x1000 disc mask took " << bytes.size() << " bytes";
    // 401 rows with one run of zeros and one of ones each, plus the tail.
    EXPECT_LE(rle.counts().size(), 2 * 401 + 1);
    const double expectedArea = 3.14159265 * 200 * 200;
    EXPECT_NEAR(double(rle.area()), expectedArea, expectedArea * 0.01);
    auto decoded = RleMask::fromBytes(bytes);
    ASSERT_TRUE(succeeds(decoded));
    EXPECT_TRUE(sameMask(source, decoded->toMat()));
}
