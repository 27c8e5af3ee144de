// Tests for validateAnnotation and polygonSelfIntersects: every rule an annotation must pass
// before it is stored, each with a check that the message tells the user what is wrong.

#include "core/model/validation.h"

#include <gtest/gtest.h>

#include "resultassertions.h"

#include <opencv2/core.hpp>

#include <cmath>
#include <limits>
#include <numbers>

using namespace fieldmark;
using namespace fieldmark::test;
using namespace Qt::StringLiterals;

namespace {

Item imageItem(int width = 640, int height = 480)
{
    Item item;
    item.id = 7;
    item.kind = ItemKind::Image;
    item.path = u"/data/images/street.jpg"_s;
    item.width = width;
    item.height = height;
    return item;
}

Item textItem(const QString &text)
{
    Item item;
    item.id = 8;
    item.kind = ItemKind::Text;
    item.text = text;
    return item;
}

LabelTask makeTask(TaskType type)
{
    LabelTask task;
    task.id = 3;
    task.name = u"Street scenes"_s;
    task.type = type;
    task.classes = {{1, u"cat"_s, Qt::red, u"1"_s, 0},
                    {2, u"dog"_s, Qt::green, u"2"_s, 1},
                    {5, u"traffic light"_s, Qt::blue, u"3"_s, 2}};
    return task;
}

Annotation annotation(Shape shape, qint64 classId = 1)
{
    Annotation a;
    a.id = 100;
    a.itemId = 7;
    a.taskId = 3;
    a.classId = classId;
    a.shape = std::move(shape);
    return a;
}

Result<void> checkBox(const Box &box, const Item &item = imageItem())
{
    return validateAnnotation(annotation(box), item, makeTask(TaskType::Boxes));
}

Result<void> checkPolygon(const QVector<QPointF> &points, const Item &item = imageItem())
{
    return validateAnnotation(annotation(Polygon{points}), item, makeTask(TaskType::Segmentation));
}

Result<void> checkMask(const RleMask &rle, const Item &item = imageItem())
{
    return validateAnnotation(annotation(Mask{rle}), item, makeTask(TaskType::Segmentation));
}

Result<void> checkSpan(const QString &text, qint64 start, qint64 end)
{
    return validateAnnotation(annotation(Span{start, end}), textItem(text),
                              makeTask(TaskType::Spans));
}

RleMask filledMask(QRect bounds)
{
    return RleMask::fromMat(cv::Mat(bounds.height(), bounds.width(), CV_8UC1, cv::Scalar(255)),
                            bounds.topLeft());
}

const QVector<QPointF> kBowTie = {{0, 0}, {100, 100}, {100, 0}, {0, 100}};
const QVector<QPointF> kSquare = {{0, 0}, {100, 0}, {100, 100}, {0, 100}};
// An L: concave, with a reflex vertex at (50, 50).
const QVector<QPointF> kConcaveL = {{0, 0}, {100, 0}, {100, 50}, {50, 50}, {50, 100}, {0, 100}};

// A five-pointed star drawn as its outline (concave, ten vertices), centred at `c`.
QVector<QPointF> starOutline(QPointF c, double outer, double inner)
{
    QVector<QPointF> points;
    for (int i = 0; i < 10; ++i) {
        const double r = i % 2 ? inner : outer;
        const double angle = -std::numbers::pi / 2 + i * std::numbers::pi / 5;
        points.append(c + QPointF(r * std::cos(angle), r * std::sin(angle)));
    }
    return points;
}

// The same star drawn the way a child does, five strokes through the middle: it crosses itself.
QVector<QPointF> pentagram(QPointF c, double r)
{
    QVector<QPointF> points;
    for (int i = 0; i < 5; ++i) {
        const double angle = -std::numbers::pi / 2 + (i * 2 % 5) * 2 * std::numbers::pi / 5;
        points.append(c + QPointF(r * std::cos(angle), r * std::sin(angle)));
    }
    return points;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Boxes

TEST(ValidateBoxTest, BoxesInsideTheImagePass)
{
    EXPECT_TRUE(succeeds(checkBox({10, 20, 100, 50})));
    EXPECT_TRUE(succeeds(checkBox({0, 0, 640, 480})));         // the whole image
    EXPECT_TRUE(succeeds(checkBox({639.5, 479.5, 0.5, 0.5}))); // the last half pixel
    EXPECT_TRUE(succeeds(checkBox({0.25, 0.75, 1e-3, 1e-3}))); // tiny but not empty
}

TEST(ValidateBoxTest, BoxOutsideTheImageNamesCornersAndImageSize)
{
    EXPECT_TRUE(failsMentioning(checkBox({600, 10, 100, 50}),
                                {u"outside"_s, u"640x480"_s, u"(600, 10)"_s, u"(700, 60)"_s}));
    EXPECT_TRUE(
        failsMentioning(checkBox({10, 400, 20, 81}), {u"outside"_s, u"640x480"_s, u"(30, 481)"_s}));
    EXPECT_TRUE(failsMentioning(checkBox({-5, 10, 20, 20}), {u"outside"_s, u"(-5, 10)"_s}));
    EXPECT_TRUE(failsMentioning(checkBox({10, -0.5, 20, 20}), {u"outside"_s, u"-0.5"_s}));
    EXPECT_TRUE(failsMentioning(checkBox({1000, 1000, 5, 5}), {u"outside"_s}));
    EXPECT_TRUE(failsMentioning(checkBox({0, 0, 640.01, 480}), {u"outside"_s, u"640.01"_s}));
}

TEST(ValidateBoxTest, BoxWithoutAreaIsRejected)
{
    EXPECT_TRUE(
        failsMentioning(checkBox({10, 20, 0, 30}), {u"no area"_s, u"0x30"_s, u"(10, 20)"_s}));
    EXPECT_TRUE(failsMentioning(checkBox({10, 20, 30, 0}), {u"no area"_s, u"30x0"_s}));
    EXPECT_TRUE(failsMentioning(checkBox({50, 50, -10, 20}), {u"no area"_s, u"-10x20"_s}));
    EXPECT_TRUE(failsMentioning(checkBox({0, 0, 0, 0}), {u"no area"_s}));
}

TEST(ValidateBoxTest, NonFiniteCoordinatesAreRejected)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    EXPECT_TRUE(failsMentioning(checkBox({nan, 0, 10, 10}), {u"not a number"_s}));
    EXPECT_TRUE(failsMentioning(checkBox({0, nan, 10, 10}), {u"not a number"_s}));
    EXPECT_TRUE(failsMentioning(checkBox({0, 0, nan, 10}), {u"not a number"_s}));
    EXPECT_TRUE(failsMentioning(checkBox({0, 0, 10, nan}), {u"not a number"_s}));
    EXPECT_TRUE(failsMentioning(checkBox({0, 0, inf, 10}), {u"not a number"_s}));
    EXPECT_TRUE(failsMentioning(checkBox({-inf, 0, 10, 10}), {u"not a number"_s}));
}

// ---------------------------------------------------------------------------------------------
// Polygons

TEST(ValidatePolygonTest, SimplePolygonsPass)
{
    EXPECT_TRUE(succeeds(checkPolygon({{10, 10}, {200, 10}, {100, 300}})));
    EXPECT_TRUE(succeeds(checkPolygon(kSquare)));
    EXPECT_TRUE(succeeds(checkPolygon({{0, 0}, {640, 0}, {640, 480}, {0, 480}}))); // the border
}

TEST(ValidatePolygonTest, ConcavePolygonsPass)
{
    EXPECT_TRUE(succeeds(checkPolygon(kConcaveL)));
    EXPECT_TRUE(succeeds(checkPolygon(starOutline({300, 200}, 150, 60))));
    // A deep notch whose sides come close but never touch.
    EXPECT_TRUE(succeeds(
        checkPolygon({{0, 0}, {100, 0}, {100, 100}, {50.5, 100}, {50, 1}, {49.5, 100}, {0, 100}})));
}

TEST(ValidatePolygonTest, TooFewPointsAreRejected)
{
    EXPECT_TRUE(failsMentioning(checkPolygon({}), {u"0 point"_s, u"at least 3"_s}));
    EXPECT_TRUE(failsMentioning(checkPolygon({{1, 1}}), {u"1 point"_s, u"at least 3"_s}));
    EXPECT_TRUE(failsMentioning(checkPolygon({{1, 1}, {5, 5}}), {u"2 point"_s, u"at least 3"_s}));
}

TEST(ValidatePolygonTest, PointOutsideTheImageIsNamed)
{
    EXPECT_TRUE(failsMentioning(checkPolygon({{10, 10}, {20, 10}, {700, 15}, {10, 20}}),
                                {u"point 3"_s, u"(700, 15)"_s, u"outside"_s, u"640x480"_s}));
    EXPECT_TRUE(failsMentioning(checkPolygon({{-1, 10}, {20, 10}, {20, 20}}),
                                {u"point 1"_s, u"(-1, 10)"_s}));
    EXPECT_TRUE(failsMentioning(checkPolygon({{10, 10}, {20, 10}, {20, 480.5}}),
                                {u"point 3"_s, u"480.5"_s}));
}

TEST(ValidatePolygonTest, NonFinitePointIsRejected)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    EXPECT_TRUE(failsMentioning(checkPolygon({{10, 10}, {nan, 10}, {20, 20}}), {u"point 2"_s}));
    EXPECT_TRUE(failsMentioning(checkPolygon({{10, 10}, {20, 10}, {20, inf}}), {u"point 3"_s}));
}

TEST(ValidatePolygonTest, SelfCrossingIsRejected)
{
    EXPECT_TRUE(failsMentioning(checkPolygon(kBowTie), {u"cross"_s}));
    EXPECT_TRUE(failsMentioning(checkPolygon(pentagram({300, 200}, 150)), {u"cross"_s}));
}

// ---------------------------------------------------------------------------------------------
// Masks

TEST(ValidateMaskTest, MasksInsideTheImagePass)
{
    EXPECT_TRUE(succeeds(checkMask(filledMask(QRect(10, 20, 30, 40)))));
    EXPECT_TRUE(succeeds(checkMask(filledMask(QRect(0, 0, 640, 480)))));
    EXPECT_TRUE(succeeds(checkMask(filledMask(QRect(630, 470, 10, 10))))); // bottom-right corner
    cv::Mat sparse = cv::Mat::zeros(5, 5, CV_8UC1);
    sparse.at<uchar>(2, 2) = 255;
    EXPECT_TRUE(succeeds(checkMask(RleMask::fromMat(sparse, QPoint(100, 100)))));
}

TEST(ValidateMaskTest, MaskOutsideTheBoundsIsRejected)
{
    EXPECT_TRUE(failsMentioning(checkMask(filledMask(QRect(630, 0, 20, 10))),
                                {u"outside"_s, u"(630, 0)"_s, u"20x10"_s, u"640x480"_s}));
    EXPECT_TRUE(failsMentioning(checkMask(filledMask(QRect(0, 475, 10, 10))),
                                {u"outside"_s, u"640x480"_s}));
    EXPECT_TRUE(
        failsMentioning(checkMask(filledMask(QRect(-1, 0, 10, 10))), {u"outside"_s, u"(-1, 0)"_s}));
    EXPECT_TRUE(failsMentioning(checkMask(filledMask(QRect(0, 0, 641, 480))), {u"outside"_s}));
}

TEST(ValidateMaskTest, EmptyMaskIsRejected)
{
    const RleMask empty = RleMask::fromMat(cv::Mat::zeros(10, 10, CV_8UC1), QPoint(5, 5));
    EXPECT_TRUE(failsMentioning(checkMask(empty), {u"no pixels"_s}));
}

TEST(ValidateMaskTest, MalformedMaskIsRejected)
{
    EXPECT_TRUE(failsMentioning(checkMask(RleMask(QRect(0, 0, 4, 4), {3, 4})),
                                {u"cover 7"_s, u"4x4"_s, u"16"_s}));
    EXPECT_TRUE(failsMentioning(checkMask(RleMask()), {u"empty bounds"_s}));
}

// ---------------------------------------------------------------------------------------------
// Spans

TEST(ValidateSpanTest, SpansInsideTheTextPass)
{
    const QString text = u"Hello world"_s;
    EXPECT_TRUE(succeeds(checkSpan(text, 0, 5)));
    EXPECT_TRUE(succeeds(checkSpan(text, 6, 11)));
    EXPECT_TRUE(succeeds(checkSpan(text, 0, 11)));
    EXPECT_TRUE(succeeds(checkSpan(text, 10, 11)));
}

TEST(ValidateSpanTest, EmptySpanIsRejected)
{
    const QString text = u"Hello world"_s;
    EXPECT_TRUE(failsMentioning(checkSpan(text, 3, 3), {u"empty"_s, u"[3, 3)"_s}));
    EXPECT_TRUE(failsMentioning(checkSpan(text, 5, 2), {u"empty"_s, u"[5, 2)"_s}));
    EXPECT_TRUE(failsMentioning(checkSpan(QString(), 0, 0), {u"empty"_s}));
}

TEST(ValidateSpanTest, SpanOutsideTheTextIsRejected)
{
    const QString text = u"Hello world"_s;
    EXPECT_TRUE(
        failsMentioning(checkSpan(text, 5, 12), {u"outside"_s, u"[5, 12)"_s, u"11 characters"_s}));
    EXPECT_TRUE(failsMentioning(checkSpan(text, -1, 3), {u"outside"_s, u"[-1, 3)"_s}));
    EXPECT_TRUE(failsMentioning(checkSpan(text, 20, 30), {u"outside"_s}));
    EXPECT_TRUE(failsMentioning(checkSpan(QString(), 0, 1), {u"outside"_s, u"0 characters"_s}));
}

TEST(ValidateSpanTest, LengthIsCountedInCodePointsNotUtf16Units)
{
    // Three emoji: 3 code points, 6 UTF-16 units.
    const QString text = u"\U0001F600\U0001F601\U0001F602"_s;
    EXPECT_TRUE(succeeds(checkSpan(text, 0, 3)));
    EXPECT_TRUE(succeeds(checkSpan(text, 2, 3)));
    EXPECT_TRUE(failsMentioning(checkSpan(text, 0, 4), {u"outside"_s, u"3 characters"_s}));
    EXPECT_TRUE(failsMentioning(checkSpan(text, 3, 6), {u"outside"_s}));
}

TEST(ValidateSpanTest, SplittingACombiningMarkIsRejected)
{
    // "cafe\u0301 au lait": the accent is code point 4.
    const QString text = u"cafe\u0301 au lait"_s;
    EXPECT_TRUE(succeeds(checkSpan(text, 0, 5)));
    EXPECT_TRUE(failsMentioning(checkSpan(text, 0, 4), {u"splits"_s, u"[0, 4)"_s}));
    EXPECT_TRUE(failsMentioning(checkSpan(text, 4, 8), {u"splits"_s, u"[4, 8)"_s}));
}

TEST(ValidateSpanTest, SpansOverEmojiText)
{
    // Code points: "smile " 0-5, U+1F600 6, " family " 7-14, man ZWJ woman ZWJ girl 15-19,
    // " end" 20-23.
    const QString text =
        u"smile \U0001F600 family \U0001F468\u200D\U0001F469\u200D\U0001F467 end"_s;
    ASSERT_EQ(text.size(), 6 + 2 + 8 + 8 + 4);
    EXPECT_TRUE(succeeds(checkSpan(text, 6, 7)));   // the smiley
    EXPECT_TRUE(succeeds(checkSpan(text, 15, 20))); // the whole family
    EXPECT_TRUE(succeeds(checkSpan(text, 7, 20)));
    EXPECT_TRUE(succeeds(checkSpan(text, 20, 24)));
    EXPECT_TRUE(succeeds(checkSpan(text, 0, 24)));
    EXPECT_TRUE(failsMentioning(checkSpan(text, 15, 17), {u"splits"_s}));
    EXPECT_TRUE(failsMentioning(checkSpan(text, 17, 24), {u"splits"_s}));
    EXPECT_TRUE(failsMentioning(checkSpan(text, 20, 25), {u"outside"_s, u"24 characters"_s}));
}

TEST(ValidateSpanTest, SpansOverRightToLeftText)
{
    const QString arabic = u"مرحبا بالعالم"_s;
    EXPECT_TRUE(succeeds(checkSpan(arabic, 0, 5)));
    EXPECT_TRUE(succeeds(checkSpan(arabic, 6, 13)));
    EXPECT_TRUE(failsMentioning(checkSpan(arabic, 6, 14), {u"13 characters"_s}));

    // "bismi" with harakat: the vowel marks belong to the letter before them.
    const QString vowelled = u"\u0628\u0650\u0633\u0652\u0645\u0650"_s;
    EXPECT_TRUE(succeeds(checkSpan(vowelled, 0, 6)));
    EXPECT_TRUE(succeeds(checkSpan(vowelled, 2, 4)));
    EXPECT_TRUE(failsMentioning(checkSpan(vowelled, 0, 1), {u"splits"_s}));

    // "shalom" with niqqud: shin carries two marks.
    const QString hebrew = u"\u05E9\u05B8\u05C1\u05DC\u05D5\u05B9\u05DD"_s;
    EXPECT_TRUE(succeeds(checkSpan(hebrew, 0, 3)));
    EXPECT_TRUE(succeeds(checkSpan(hebrew, 3, 7)));
    EXPECT_TRUE(failsMentioning(checkSpan(hebrew, 0, 2), {u"splits"_s}));
    EXPECT_TRUE(failsMentioning(checkSpan(hebrew, 5, 7), {u"splits"_s}));
}

// ---------------------------------------------------------------------------------------------
// Classes, task types, item kinds, confidence

TEST(ValidateAnnotationTest, ClassTagsPassInClassificationTasks)
{
    EXPECT_TRUE(succeeds(validateAnnotation(annotation(ClassTag{}), imageItem(),
                                            makeTask(TaskType::ImageClassification))));
    EXPECT_TRUE(succeeds(validateAnnotation(annotation(ClassTag{}, 5), imageItem(),
                                            makeTask(TaskType::ImageMultiLabel))));
    EXPECT_TRUE(succeeds(validateAnnotation(annotation(ClassTag{}, 2), textItem(u"great film"_s),
                                            makeTask(TaskType::TextClassification))));
    EXPECT_TRUE(succeeds(validateAnnotation(annotation(ClassTag{}), textItem(u"great film"_s),
                                            makeTask(TaskType::TextMultiLabel))));
}

TEST(ValidateAnnotationTest, UnknownClassListsTheTaskClasses)
{
    const auto result = validateAnnotation(annotation(Box{1, 1, 10, 10}, 99), imageItem(),
                                           makeTask(TaskType::Boxes));
    EXPECT_TRUE(failsMentioning(
        result, {u"99"_s, u"Street scenes"_s, u"cat"_s, u"dog"_s, u"traffic light"_s}));

    LabelTask noClasses = makeTask(TaskType::ImageClassification);
    noClasses.classes.clear();
    EXPECT_TRUE(failsMentioning(
        validateAnnotation(annotation(ClassTag{}, 1), imageItem(), noClasses), {u"class id 1"_s}));
}

TEST(ValidateAnnotationTest, ShapeMustFitTheTaskType)
{
    EXPECT_TRUE(
        failsMentioning(validateAnnotation(annotation(Box{1, 1, 10, 10}), textItem(u"some text"_s),
                                           makeTask(TaskType::TextClassification)),
                        {u"box"_s, u"text-class"_s, u"Street scenes"_s}));
    EXPECT_TRUE(failsMentioning(
        validateAnnotation(annotation(Polygon{kSquare}), imageItem(), makeTask(TaskType::Boxes)),
        {u"polygon"_s, u"boxes"_s}));
    EXPECT_TRUE(failsMentioning(validateAnnotation(annotation(Box{1, 1, 10, 10}), imageItem(),
                                                   makeTask(TaskType::Segmentation)),
                                {u"box"_s, u"segmentation"_s}));
    EXPECT_TRUE(failsMentioning(validateAnnotation(annotation(Span{0, 1}), imageItem(),
                                                   makeTask(TaskType::ImageClassification)),
                                {u"span"_s, u"image-class"_s}));
    EXPECT_TRUE(failsMentioning(
        validateAnnotation(annotation(ClassTag{}), imageItem(), makeTask(TaskType::Segmentation)),
        {u"class"_s, u"segmentation"_s}));
    EXPECT_TRUE(failsMentioning(
        validateAnnotation(annotation(ClassTag{}), textItem(u"abc"_s), makeTask(TaskType::Spans)),
        {u"spans"_s}));
    EXPECT_TRUE(failsMentioning(validateAnnotation(annotation(Span{0, 1}), textItem(u"abc"_s),
                                                   makeTask(TaskType::TextMultiLabel)),
                                {u"span"_s, u"text-multilabel"_s}));
}

TEST(ValidateAnnotationTest, ItemKindMustMatchTheTask)
{
    EXPECT_TRUE(failsMentioning(validateAnnotation(annotation(Box{1, 1, 10, 10}),
                                                   textItem(u"abc"_s), makeTask(TaskType::Boxes)),
                                {u"Street scenes"_s, u"image items"_s, u"item 8"_s, u"text"_s}));
    EXPECT_TRUE(failsMentioning(
        validateAnnotation(annotation(Span{0, 1}), imageItem(), makeTask(TaskType::Spans)),
        {u"text items"_s, u"item 7"_s, u"image"_s}));
    EXPECT_TRUE(failsMentioning(validateAnnotation(annotation(ClassTag{}), imageItem(),
                                                   makeTask(TaskType::TextClassification)),
                                {u"text items"_s}));
}

TEST(ValidateAnnotationTest, ConfidenceMustLieBetweenZeroAndOne)
{
    const auto check = [](std::optional<double> confidence) {
        Annotation a = annotation(Box{1, 1, 10, 10});
        a.provenance.state = LabelState::Machine;
        a.provenance.modelId = 4;
        a.provenance.confidence = confidence;
        return validateAnnotation(a, imageItem(), makeTask(TaskType::Boxes));
    };
    EXPECT_TRUE(succeeds(check(std::nullopt)));
    EXPECT_TRUE(succeeds(check(0.0)));
    EXPECT_TRUE(succeeds(check(0.5)));
    EXPECT_TRUE(succeeds(check(1.0)));
    EXPECT_TRUE(failsMentioning(check(1.5), {u"1.5"_s, u"between 0 and 1"_s}));
    EXPECT_TRUE(failsMentioning(check(-0.25), {u"-0.25"_s, u"between 0 and 1"_s}));
    EXPECT_TRUE(
        failsMentioning(check(std::numeric_limits<double>::quiet_NaN()), {u"between 0 and 1"_s}));
    EXPECT_TRUE(
        failsMentioning(check(std::numeric_limits<double>::infinity()), {u"between 0 and 1"_s}));
}

// ---------------------------------------------------------------------------------------------
// polygonSelfIntersects

TEST(PolygonSelfIntersectsTest, TooFewPointsDoNotCross)
{
    EXPECT_FALSE(polygonSelfIntersects({}));
    EXPECT_FALSE(polygonSelfIntersects({{1, 1}}));
    EXPECT_FALSE(polygonSelfIntersects({{1, 1}, {2, 2}}));
}

TEST(PolygonSelfIntersectsTest, Triangles)
{
    EXPECT_FALSE(polygonSelfIntersects({{0, 0}, {10, 0}, {0, 10}}));
    EXPECT_FALSE(polygonSelfIntersects({{0, 0}, {0, 10}, {10, 0}})); // other winding
    // A flat triangle folds onto itself.
    EXPECT_TRUE(polygonSelfIntersects({{0, 0}, {5, 0}, {10, 0}}));
    EXPECT_TRUE(polygonSelfIntersects({{0, 0}, {10, 0}, {5, 0}}));
}

TEST(PolygonSelfIntersectsTest, SimplePolygonsDoNotCross)
{
    EXPECT_FALSE(polygonSelfIntersects(kSquare));
    EXPECT_FALSE(polygonSelfIntersects(kConcaveL));
    EXPECT_FALSE(polygonSelfIntersects(starOutline({0, 0}, 10, 4)));
    QVector<QPointF> reversed(kConcaveL.rbegin(), kConcaveL.rend());
    EXPECT_FALSE(polygonSelfIntersects(reversed));
}

TEST(PolygonSelfIntersectsTest, CrossingPolygons)
{
    EXPECT_TRUE(polygonSelfIntersects(kBowTie));
    EXPECT_TRUE(polygonSelfIntersects({{0, 0}, {100, 0}, {0, 100}, {100, 100}}));
    EXPECT_TRUE(polygonSelfIntersects(pentagram({0, 0}, 10)));
    // A square whose last edge cuts back across the first.
    EXPECT_TRUE(polygonSelfIntersects({{0, 0}, {100, 0}, {100, 100}, {0, 100}, {50, -10}}));
}

TEST(PolygonSelfIntersectsTest, TouchingNonNeighboursCountAsCrossing)
{
    // Vertex (50, 0) sits on the first edge: the outline pinches to a point.
    EXPECT_TRUE(polygonSelfIntersects({{0, 0}, {100, 0}, {100, 100}, {50, 0}, {0, 100}}));
    // The outline runs back along itself.
    EXPECT_TRUE(polygonSelfIntersects({{0, 0}, {10, 0}, {5, 0}, {5, 5}}));
}
