// Tests for the value types of core/model: shape encoding, task and state names, class names
// and colours, and the UTF-16 / code point / grapheme conversions of textoffsets.h.

#include "core/model/annotation.h"
#include "core/model/item.h"
#include "core/model/labeltask.h"
#include "core/model/provenance.h"
#include "core/model/textoffsets.h"

#include <gtest/gtest.h>

#include "resultassertions.h"

#include <opencv2/core.hpp>

#include <QSet>

#include <cmath>
#include <limits>
#include <numbers>

using namespace fieldmark;
using namespace fieldmark::test;
using namespace Qt::StringLiterals;

namespace {

Shape roundTrip(const Shape &shape)
{
    const QByteArray bytes = encodeShape(shape);
    auto decoded = decodeShape(shapeKind(shape), bytes);
    EXPECT_TRUE(succeeds(decoded));
    return decoded ? *decoded : Shape{};
}

Mask sampleMask()
{
    cv::Mat mat = cv::Mat::zeros(6, 9, CV_8UC1);
    mat.at<uchar>(0, 0) = 255;
    mat(cv::Rect(2, 1, 5, 3)).setTo(255);
    mat.at<uchar>(5, 8) = 1;
    return Mask{RleMask::fromMat(mat, QPoint(40, 7))};
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Shapes

TEST(ShapeTest, KindFollowsVariantIndexAndHasAName)
{
    EXPECT_EQ(shapeKind(Shape(ClassTag{})), ShapeKind::ClassTag);
    EXPECT_EQ(shapeKind(Shape(Box{})), ShapeKind::Box);
    EXPECT_EQ(shapeKind(Shape(Polygon{})), ShapeKind::Polygon);
    EXPECT_EQ(shapeKind(Shape(Mask{})), ShapeKind::Mask);
    EXPECT_EQ(shapeKind(Shape(Span{})), ShapeKind::Span);

    EXPECT_EQ(str(shapeKindName(ShapeKind::ClassTag)), "class");
    EXPECT_EQ(str(shapeKindName(ShapeKind::Box)), "box");
    EXPECT_EQ(str(shapeKindName(ShapeKind::Polygon)), "polygon");
    EXPECT_EQ(str(shapeKindName(ShapeKind::Mask)), "mask");
    EXPECT_EQ(str(shapeKindName(ShapeKind::Span)), "span");
}

TEST(ShapeTest, ClassTagRoundTrips)
{
    const Shape decoded = roundTrip(ClassTag{});
    ASSERT_TRUE(std::holds_alternative<ClassTag>(decoded));
}

TEST(ShapeTest, BoxRoundTripsExactly)
{
    const Box boxes[] = {
        {0, 0, 1, 1},
        {1.5, 2.25, 100.125, 50.0},
        {0.1, 0.2, 0.3, 1e-9},   // values without an exact short decimal form
        {-3.75, -1e6, 4e9, 7.0}, // stored as is; validation judges them
        {std::numeric_limits<double>::max(), std::numeric_limits<double>::denorm_min(),
         std::numeric_limits<double>::infinity(), -0.0},
    };
    for (const Box &box : boxes) {
        const Shape decoded = roundTrip(box);
        ASSERT_TRUE(std::holds_alternative<Box>(decoded));
        EXPECT_EQ(std::get<Box>(decoded), box) << box.x << ", " << box.y;
    }
}

TEST(ShapeTest, BoxKeepsNaN)
{
    const Box box{std::nan(""), 1, 2, 3};
    const Shape decoded = roundTrip(box);
    ASSERT_TRUE(std::holds_alternative<Box>(decoded));
    EXPECT_TRUE(std::isnan(std::get<Box>(decoded).x));
    EXPECT_EQ(std::get<Box>(decoded).height, 3);
}

TEST(ShapeTest, BoxRectMatchesFields)
{
    const Box box{1, 2, 3, 4};
    EXPECT_EQ(box.rect(), QRectF(1, 2, 3, 4));
}

TEST(ShapeTest, PolygonRoundTrips)
{
    Polygon polygon;
    polygon.points = {{0, 0}, {10.5, 0}, {10.5, 20.25}, {3.125, 7.0}, {0, 20}};
    const Shape decoded = roundTrip(polygon);
    ASSERT_TRUE(std::holds_alternative<Polygon>(decoded));
    EXPECT_EQ(std::get<Polygon>(decoded), polygon);
}

TEST(ShapeTest, EmptyAndLargePolygonsRoundTrip)
{
    const Shape empty = roundTrip(Polygon{});
    ASSERT_TRUE(std::holds_alternative<Polygon>(empty));
    EXPECT_TRUE(std::get<Polygon>(empty).points.isEmpty());

    Polygon large;
    for (int i = 0; i < 5000; ++i) {
        const double angle = 2 * std::numbers::pi * i / 5000;
        large.points.append(QPointF(1000 + 800 * std::cos(angle), 1000 + 800 * std::sin(angle)));
    }
    const Shape decoded = roundTrip(large);
    ASSERT_TRUE(std::holds_alternative<Polygon>(decoded));
    EXPECT_EQ(std::get<Polygon>(decoded), large);
}

TEST(ShapeTest, MaskRoundTrips)
{
    const Mask mask = sampleMask();
    const Shape decoded = roundTrip(mask);
    ASSERT_TRUE(std::holds_alternative<Mask>(decoded));
    EXPECT_EQ(std::get<Mask>(decoded), mask);
    EXPECT_EQ(std::get<Mask>(decoded).rle.bounds(), QRect(40, 7, 9, 6));
    EXPECT_EQ(std::get<Mask>(decoded).rle.area(), 17);
}

TEST(ShapeTest, SpanRoundTrips)
{
    const Span spans[] = {{0, 1},
                          {3, 17},
                          {-5, 0},
                          {0, std::numeric_limits<qint64>::max()},
                          {std::numeric_limits<qint64>::min(), 42}};
    for (const Span &span : spans) {
        const Shape decoded = roundTrip(span);
        ASSERT_TRUE(std::holds_alternative<Span>(decoded));
        EXPECT_EQ(std::get<Span>(decoded), span) << span.start << ", " << span.end;
    }
}

TEST(ShapeTest, EncodingsAreCompact)
{
    EXPECT_TRUE(encodeShape(ClassTag{}).isEmpty());
    EXPECT_EQ(encodeShape(Box{1, 2, 3, 4}).size(), 4 * 8);
    EXPECT_EQ(encodeShape(Span{1, 2}).size(), 2 * 8);
    Polygon triangle;
    triangle.points = {{0, 0}, {1, 0}, {0, 1}};
    EXPECT_EQ(encodeShape(triangle).size(), 4 + 3 * 16);
}

TEST(ShapeTest, EveryTruncationIsAnErrorNotACrash)
{
    Polygon polygon;
    polygon.points = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
    const Shape shapes[] = {Box{1, 2, 3, 4}, polygon, sampleMask(), Span{2, 9}};
    for (const Shape &shape : shapes) {
        const ShapeKind kind = shapeKind(shape);
        const QByteArray bytes = encodeShape(shape);
        ASSERT_FALSE(bytes.isEmpty());
        for (qsizetype length = 0; length < bytes.size(); ++length) {
            const auto decoded = decodeShape(kind, bytes.left(length));
            EXPECT_TRUE(failsMentioning(decoded, {u"truncated"_s}))
                << str(shapeKindName(kind)) << " cut to " << length << " of " << bytes.size()
                << " bytes";
        }
    }
}

TEST(ShapeTest, TruncatedMessageNamesTheShapeKind)
{
    const QByteArray box = encodeShape(Box{1, 2, 3, 4});
    EXPECT_TRUE(failsMentioning(decodeShape(ShapeKind::Box, box.left(20)), {u"box"_s}));
    const QByteArray span = encodeShape(Span{1, 2});
    EXPECT_TRUE(failsMentioning(decodeShape(ShapeKind::Span, span.left(9)), {u"span"_s}));
}

TEST(ShapeTest, PolygonWithAbsurdPointCountIsRejected)
{
    // A corrupt count must not make the decoder reserve gigabytes or read past the end.
    QByteArray bytes("\xff\xff\xff\xff", 4);
    bytes.append(QByteArray(32, '\0'));
    EXPECT_TRUE(failsMentioning(decodeShape(ShapeKind::Polygon, bytes),
                                {u"polygon"_s, u"truncated"_s, u"4294967295"_s}));

    // One point short of what the count declares.
    Polygon polygon;
    polygon.points = {{0, 0}, {1, 0}, {0, 1}};
    QByteArray encoded = encodeShape(polygon);
    encoded[3] = 4; // big-endian count, now 4
    EXPECT_TRUE(failsMentioning(decodeShape(ShapeKind::Polygon, encoded), {u"truncated"_s}));
}

TEST(ShapeTest, DecodingAsTheWrongKindDoesNotCrash)
{
    const QByteArray box = encodeShape(Box{1, 2, 3, 4});
    // Box bytes happen to be long enough for a span; the point is only that nothing crashes
    // and short data is reported.
    EXPECT_TRUE(decodeShape(ShapeKind::Span, box).ok());
    EXPECT_FALSE(decodeShape(ShapeKind::Box, encodeShape(Span{1, 2})).ok());
    EXPECT_FALSE(decodeShape(ShapeKind::Mask, box).ok());
}

TEST(ShapeTest, UnknownKindIsAnError)
{
    EXPECT_TRUE(failsMentioning(decodeShape(ShapeKind(9), QByteArray(16, '\0')),
                                {u"unknown shape kind"_s, u"9"_s}));
}

TEST(ShapeTest, GarbageMaskBytesAreAnError)
{
    EXPECT_FALSE(decodeShape(ShapeKind::Mask, QByteArray()).ok());
    EXPECT_FALSE(decodeShape(ShapeKind::Mask, QByteArray(64, '\xff')).ok());
}

// ---------------------------------------------------------------------------------------------
// Task types

TEST(TaskTypeTest, NamesRoundTrip)
{
    const TaskType types[] = {TaskType::ImageClassification,
                              TaskType::ImageMultiLabel,
                              TaskType::Boxes,
                              TaskType::Segmentation,
                              TaskType::TextClassification,
                              TaskType::TextMultiLabel,
                              TaskType::Spans};
    QSet<QString> seen;
    for (TaskType type : types) {
        const QString name = taskTypeName(type);
        EXPECT_FALSE(name.isEmpty());
        EXPECT_NE(str(name), "unknown");
        EXPECT_FALSE(seen.contains(name)) << str(name);
        seen.insert(name);
        auto parsed = taskTypeFromName(name);
        ASSERT_TRUE(succeeds(parsed));
        EXPECT_EQ(*parsed, type);
    }
    EXPECT_EQ(taskTypeNames().size(), 7);
    for (const QString &name : taskTypeNames())
        EXPECT_TRUE(seen.contains(name)) << str(name);
}

TEST(TaskTypeTest, KnownNames)
{
    EXPECT_EQ(str(taskTypeName(TaskType::ImageClassification)), "image-class");
    EXPECT_EQ(str(taskTypeName(TaskType::ImageMultiLabel)), "image-multilabel");
    EXPECT_EQ(str(taskTypeName(TaskType::Boxes)), "boxes");
    EXPECT_EQ(str(taskTypeName(TaskType::Segmentation)), "segmentation");
    EXPECT_EQ(str(taskTypeName(TaskType::TextClassification)), "text-class");
    EXPECT_EQ(str(taskTypeName(TaskType::TextMultiLabel)), "text-multilabel");
    EXPECT_EQ(str(taskTypeName(TaskType::Spans)), "spans");
    EXPECT_EQ(str(taskTypeName(TaskType(77))), "unknown");
}

TEST(TaskTypeTest, UnknownNameListsTheValidOnes)
{
    const QString inputs[] = {u"bbox"_s, u"Boxes"_s, u""_s, u" boxes"_s, u"unknown"_s};
    for (const QString &input : inputs) {
        auto parsed = taskTypeFromName(input);
        QStringList words = taskTypeNames();
        words.append(u"unknown task type"_s);
        words.append(u"'"_s + input + u"'"_s);
        EXPECT_TRUE(failsMentioning(parsed, words)) << "input: " << str(input);
    }
}

TEST(TaskTypeTest, ItemKindAndMultiLabel)
{
    EXPECT_EQ(itemKindForTaskType(TaskType::ImageClassification), ItemKind::Image);
    EXPECT_EQ(itemKindForTaskType(TaskType::ImageMultiLabel), ItemKind::Image);
    EXPECT_EQ(itemKindForTaskType(TaskType::Boxes), ItemKind::Image);
    EXPECT_EQ(itemKindForTaskType(TaskType::Segmentation), ItemKind::Image);
    EXPECT_EQ(itemKindForTaskType(TaskType::TextClassification), ItemKind::Text);
    EXPECT_EQ(itemKindForTaskType(TaskType::TextMultiLabel), ItemKind::Text);
    EXPECT_EQ(itemKindForTaskType(TaskType::Spans), ItemKind::Text);

    EXPECT_TRUE(isMultiLabel(TaskType::ImageMultiLabel));
    EXPECT_TRUE(isMultiLabel(TaskType::TextMultiLabel));
    EXPECT_FALSE(isMultiLabel(TaskType::ImageClassification));
    EXPECT_FALSE(isMultiLabel(TaskType::TextClassification));
    EXPECT_FALSE(isMultiLabel(TaskType::Boxes));
    EXPECT_FALSE(isMultiLabel(TaskType::Segmentation));
    EXPECT_FALSE(isMultiLabel(TaskType::Spans));

    EXPECT_EQ(str(itemKindName(ItemKind::Image)), "image");
    EXPECT_EQ(str(itemKindName(ItemKind::Text)), "text");
}

// ---------------------------------------------------------------------------------------------
// Label states

TEST(LabelStateTest, NamesRoundTrip)
{
    const LabelState states[] = {LabelState::Human, LabelState::Machine,
                                 LabelState::MachineAccepted, LabelState::MachineEdited,
                                 LabelState::Rejected};
    QSet<QString> seen;
    for (LabelState state : states) {
        const QString name = labelStateName(state);
        EXPECT_NE(str(name), "unknown");
        EXPECT_FALSE(seen.contains(name)) << str(name);
        seen.insert(name);
        auto parsed = labelStateFromName(name);
        ASSERT_TRUE(succeeds(parsed));
        EXPECT_EQ(*parsed, state);
    }
    EXPECT_EQ(str(labelStateName(LabelState::Human)), "human");
    EXPECT_EQ(str(labelStateName(LabelState::Machine)), "machine");
    EXPECT_EQ(str(labelStateName(LabelState::MachineAccepted)), "machine-accepted");
    EXPECT_EQ(str(labelStateName(LabelState::MachineEdited)), "machine-edited");
    EXPECT_EQ(str(labelStateName(LabelState::Rejected)), "rejected");
}

TEST(LabelStateTest, UnknownNamesAreErrors)
{
    EXPECT_EQ(str(labelStateName(LabelState(5))), "unknown");
    EXPECT_EQ(str(labelStateName(LabelState(-1))), "unknown");
    EXPECT_TRUE(failsMentioning(labelStateFromName(u"unknown"_s), {u"'unknown'"_s}));
    EXPECT_TRUE(failsMentioning(labelStateFromName(u"Human"_s), {u"label state"_s, u"Human"_s}));
    EXPECT_TRUE(failsMentioning(labelStateFromName(QString()), {u"label state"_s}));
}

TEST(LabelStateTest, ProvenanceDefaultsToAnUnsureHumanLabel)
{
    const Provenance provenance;
    EXPECT_EQ(provenance.state, LabelState::Human);
    EXPECT_FALSE(provenance.confidence.has_value());
    EXPECT_EQ(provenance.annotatorId, 0);
    EXPECT_EQ(provenance.modelId, 0);
}

// ---------------------------------------------------------------------------------------------
// Classes

TEST(LabelTaskTest, FindsClassesByIdAndName)
{
    LabelTask task;
    task.classes = {{11, u"cat"_s, Qt::red, u"1"_s, 0}, {12, u"dog"_s, Qt::blue, u"2"_s, 1}};
    ASSERT_NE(task.classById(12), nullptr);
    EXPECT_EQ(str(task.classById(12)->name), "dog");
    EXPECT_EQ(task.classById(13), nullptr);
    ASSERT_NE(task.classByName(u"cat"_s), nullptr);
    EXPECT_EQ(task.classByName(u"cat"_s)->id, 11);
    EXPECT_EQ(task.classByName(u"Cat"_s), nullptr);
    EXPECT_EQ(str(task.classNames()), "cat, dog");
    EXPECT_EQ(str(task.classNames(u"|"_s)), "cat|dog");
    EXPECT_TRUE(LabelTask{}.classNames().isEmpty());
}

TEST(ClassNameTest, EmptyIsRejected)
{
    EXPECT_TRUE(failsMentioning(validateClassName(QString()), {u"empty"_s}));
    EXPECT_TRUE(failsMentioning(validateClassName(u""_s), {u"empty"_s}));
}

TEST(ClassNameTest, LeadingOrTrailingBlanksAreRejected)
{
    const QString names[] = {u" cat"_s,     u"cat "_s,  u"  "_s,
                             u"\tcat"_s,    u"cat\n"_s, u"\u00a0cat"_s, // no-break space
                             u"cat\u3000"_s};                           // ideographic space
    for (const QString &name : names)
        EXPECT_TRUE(failsMentioning(validateClassName(name), {u"blanks"_s})) << str(name);
}

TEST(ClassNameTest, CommaAndControlCharactersAreRejected)
{
    const QString names[] = {
        u"cat,dog"_s,  u"a\tb"_s,     u"a\nb"_s,     u"a\rb"_s,
        u"a\u0001b"_s, u"a\u007fb"_s, u"a\u0085b"_s, QString::fromUtf16(u"a\0b", 3)};
    for (const QString &name : names) {
        EXPECT_TRUE(failsMentioning(validateClassName(name), {u"comma or a control character"_s}))
            << "name of " << name.size() << " units: " << str(name);
    }
}

TEST(ClassNameTest, OverlongNameIsRejected)
{
    EXPECT_TRUE(succeeds(validateClassName(QString(200, u'x'))));
    EXPECT_TRUE(failsMentioning(validateClassName(QString(201, u'x')), {u"200"_s}));
}

TEST(ClassNameTest, OrdinaryNamesAreAccepted)
{
    const QString names[] = {
        u"cat"_s,
        u"traffic light"_s,
        u"Straße"_s,
        u"猫"_s,
        u"قطة"_s,                        // Arabic
        u"חתול"_s,                       // Hebrew
        u"e\u0301te\u0301"_s,            // combining marks
        u"\U0001F431 cat"_s,             // emoji (surrogate pair)
        u"\U0001F468\u200D\U0001F469"_s, // ZWJ sequence
        u"a-b_c.d/e (f) [g] 'h' \"i\""_s,
        u"1"_s,
    };
    for (const QString &name : names)
        EXPECT_TRUE(succeeds(validateClassName(name))) << str(name);
}

TEST(ClassColorTest, FirstTenAreValidAndDistinct)
{
    QList<QColor> colors;
    for (int i = 0; i < 10; ++i) {
        const QColor color = defaultClassColor(i);
        EXPECT_TRUE(color.isValid()) << i;
        EXPECT_EQ(color, defaultClassColor(i)) << "not deterministic for " << i;
        colors.append(color);
    }
    for (int i = 0; i < colors.size(); ++i) {
        for (int j = i + 1; j < colors.size(); ++j) {
            EXPECT_NE(colors[i].rgb(), colors[j].rgb()) << i << " and " << j;
            // Distinct to the eye, not only in the last bit: hues at least 15 degrees apart.
            const int diff = std::abs(colors[i].hsvHue() - colors[j].hsvHue());
            EXPECT_GE(std::min(diff, 360 - diff), 15)
                << "classes " << i << " and " << j << " have hues " << colors[i].hsvHue() << " and "
                << colors[j].hsvHue();
        }
    }
}

TEST(ClassColorTest, ManyClassesStillGetValidColours)
{
    for (int i = 0; i < 1000; ++i)
        EXPECT_TRUE(defaultClassColor(i).isValid()) << i;
}

TEST(ClassShortcutTest, DigitsForTheFirstTen)
{
    const char *expected[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"};
    for (int i = 0; i < 10; ++i)
        EXPECT_EQ(str(defaultClassShortcut(i)), expected[i]) << i;
    EXPECT_TRUE(defaultClassShortcut(10).isEmpty());
    EXPECT_TRUE(defaultClassShortcut(100).isEmpty());
}

// ---------------------------------------------------------------------------------------------
// Text offsets

namespace {

// Checks that code point and UTF-16 offsets convert into each other at every code point.
void expectOffsetsConsistent(const QString &text)
{
    const qint64 length = codePointLength(text);
    for (qint64 cp = 0; cp <= length; ++cp) {
        const qsizetype index = utf16IndexOfCodePoint(text, cp);
        ASSERT_GE(index, 0) << "code point " << cp;
        ASSERT_LE(index, text.size());
        EXPECT_EQ(codePointOfUtf16Index(text, index), cp) << "code point " << cp;
        // A code point never starts on the second half of a surrogate pair.
        if (index > 0 && index < text.size()) {
            EXPECT_FALSE(text[index].isLowSurrogate() && text[index - 1].isHighSurrogate());
        }
    }
    EXPECT_EQ(utf16IndexOfCodePoint(text, length), text.size());
    EXPECT_EQ(utf16IndexOfCodePoint(text, length + 1), -1);
    EXPECT_EQ(codePointLength(text), qint64(text.toUcs4().size()));
}

std::vector<qsizetype> boundaries(const QString &text)
{
    std::vector<qsizetype> result;
    for (qsizetype i = 0; i <= text.size(); ++i) {
        if (isGraphemeBoundary(text, i))
            result.push_back(i);
    }
    return result;
}

using Boundaries = std::vector<qsizetype>;

} // namespace

TEST(TextOffsetsTest, AsciiIsOneToOne)
{
    const QString text = u"hello world"_s;
    EXPECT_EQ(codePointLength(text), 11);
    for (qsizetype i = 0; i <= text.size(); ++i) {
        EXPECT_EQ(utf16IndexOfCodePoint(text, i), i);
        EXPECT_EQ(codePointOfUtf16Index(text, i), i);
        EXPECT_TRUE(isGraphemeBoundary(text, i)) << i;
    }
    expectOffsetsConsistent(text);
}

TEST(TextOffsetsTest, EmptyText)
{
    const QString text;
    EXPECT_EQ(codePointLength(text), 0);
    EXPECT_EQ(utf16IndexOfCodePoint(text, 0), 0);
    EXPECT_EQ(utf16IndexOfCodePoint(text, 1), -1);
    EXPECT_EQ(codePointOfUtf16Index(text, 0), 0);
    EXPECT_TRUE(isGraphemeBoundary(text, 0));
    EXPECT_FALSE(isGraphemeBoundary(text, 1));
}

TEST(TextOffsetsTest, OutOfRangeArguments)
{
    const QString text = u"abc"_s;
    EXPECT_EQ(utf16IndexOfCodePoint(text, -1), -1);
    EXPECT_EQ(utf16IndexOfCodePoint(text, 4), -1);
    EXPECT_EQ(utf16IndexOfCodePoint(text, 1000), -1);
    EXPECT_FALSE(isGraphemeBoundary(text, -1));
    EXPECT_FALSE(isGraphemeBoundary(text, 4));
    EXPECT_TRUE(isGraphemeBoundary(text, 0));
    EXPECT_TRUE(isGraphemeBoundary(text, 3));
}

TEST(TextOffsetsTest, SurrogatePairIsOneCodePoint)
{
    const QString text = u"a\U0001F600b"_s; // a, grinning face (2 UTF-16 units), b
    ASSERT_EQ(text.size(), 4);
    EXPECT_EQ(codePointLength(text), 3);
    EXPECT_EQ(utf16IndexOfCodePoint(text, 0), 0);
    EXPECT_EQ(utf16IndexOfCodePoint(text, 1), 1);
    EXPECT_EQ(utf16IndexOfCodePoint(text, 2), 3);
    EXPECT_EQ(utf16IndexOfCodePoint(text, 3), 4);
    EXPECT_EQ(utf16IndexOfCodePoint(text, 4), -1);
    EXPECT_EQ(codePointOfUtf16Index(text, 0), 0);
    EXPECT_EQ(codePointOfUtf16Index(text, 1), 1);
    EXPECT_EQ(codePointOfUtf16Index(text, 3), 2);
    EXPECT_EQ(codePointOfUtf16Index(text, 4), 3);
    EXPECT_EQ(boundaries(text), (Boundaries{0, 1, 3, 4}));
    EXPECT_FALSE(isGraphemeBoundary(text, 2)) << "inside the surrogate pair";
    expectOffsetsConsistent(text);
}

TEST(TextOffsetsTest, ConsecutiveEmoji)
{
    const QString text = u"\U0001F600\U0001F601\U0001F602"_s;
    EXPECT_EQ(text.size(), 6);
    EXPECT_EQ(codePointLength(text), 3);
    EXPECT_EQ(utf16IndexOfCodePoint(text, 2), 4);
    EXPECT_EQ(boundaries(text), (Boundaries{0, 2, 4, 6}));
    expectOffsetsConsistent(text);
}

TEST(TextOffsetsTest, FamilyZwjSequenceIsOneGrapheme)
{
    // man ZWJ woman ZWJ girl, then 'x': 5 + 1 code points, 8 + 1 UTF-16 units.
    const QString text = u"\U0001F468\u200D\U0001F469\u200D\U0001F467x"_s;
    ASSERT_EQ(text.size(), 9);
    EXPECT_EQ(codePointLength(text), 6);
    EXPECT_EQ(utf16IndexOfCodePoint(text, 1), 2); // the first ZWJ
    EXPECT_EQ(utf16IndexOfCodePoint(text, 2), 3); // woman
    EXPECT_EQ(utf16IndexOfCodePoint(text, 4), 6); // girl
    EXPECT_EQ(utf16IndexOfCodePoint(text, 5), 8); // x
    EXPECT_EQ(codePointOfUtf16Index(text, 8), 5);
    EXPECT_EQ(boundaries(text), (Boundaries{0, 8, 9}));
    expectOffsetsConsistent(text);
}

TEST(TextOffsetsTest, FlagsAndSkinTonesAreOneGraphemeEach)
{
    const QString flags = u"\U0001F1EB\U0001F1F7\U0001F1E9\U0001F1EA"_s; // FR DE
    EXPECT_EQ(codePointLength(flags), 4);
    EXPECT_EQ(boundaries(flags), (Boundaries{0, 4, 8}));

    const QString thumbs = u"\U0001F44D\U0001F3FDx"_s; // thumbs up, medium skin tone
    EXPECT_EQ(codePointLength(thumbs), 3);
    EXPECT_EQ(boundaries(thumbs), (Boundaries{0, 4, 5}));
    expectOffsetsConsistent(flags);
    expectOffsetsConsistent(thumbs);
}

TEST(TextOffsetsTest, CombiningMarkStaysWithItsLetter)
{
    const QString decomposed = u"e\u0301te"_s; // "éte" with a combining acute accent
    EXPECT_EQ(codePointLength(decomposed), 4);
    EXPECT_EQ(boundaries(decomposed), (Boundaries{0, 2, 3, 4}));
    EXPECT_FALSE(isGraphemeBoundary(decomposed, 1));

    const QString precomposed = u"\u00e9te"_s;
    EXPECT_EQ(codePointLength(precomposed), 3);
    EXPECT_EQ(boundaries(precomposed), (Boundaries{0, 1, 2, 3}));

    const QString stacked = u"a\u0300\u0323\u0308b"_s; // three marks on one letter
    EXPECT_EQ(boundaries(stacked), (Boundaries{0, 4, 5}));
    expectOffsetsConsistent(decomposed);
    expectOffsetsConsistent(stacked);
}

TEST(TextOffsetsTest, ArabicText)
{
    const QString plain = u"مرحبا بالعالم"_s;        // "hello world"
    EXPECT_EQ(codePointLength(plain), plain.size()); // all in the BMP
    for (qsizetype i = 0; i <= plain.size(); ++i)
        EXPECT_TRUE(isGraphemeBoundary(plain, i)) << i;

    // "bismi" with harakat: beh, kasra, seen, sukun, meem, kasra.
    const QString vowelled = u"\u0628\u0650\u0633\u0652\u0645\u0650"_s;
    EXPECT_EQ(codePointLength(vowelled), 6);
    EXPECT_EQ(boundaries(vowelled), (Boundaries{0, 2, 4, 6}));
    expectOffsetsConsistent(plain);
    expectOffsetsConsistent(vowelled);
}

TEST(TextOffsetsTest, HebrewText)
{
    const QString plain = u"שלום עולם"_s;
    EXPECT_EQ(codePointLength(plain), 9);
    for (qsizetype i = 0; i <= plain.size(); ++i)
        EXPECT_TRUE(isGraphemeBoundary(plain, i)) << i;

    // "shalom" with niqqud: shin, qamats, shin dot, lamed, vav, holam, final mem.
    const QString pointed = u"\u05E9\u05B8\u05C1\u05DC\u05D5\u05B9\u05DD"_s;
    EXPECT_EQ(codePointLength(pointed), 7);
    EXPECT_EQ(boundaries(pointed), (Boundaries{0, 3, 4, 6, 7}));
    expectOffsetsConsistent(plain);
    expectOffsetsConsistent(pointed);
}

TEST(TextOffsetsTest, MixedScriptsAndEmoji)
{
    const QString text = u"Hi \U0001F44B, שלום and مرحبا e\u0301 \U0001F468\u200D\U0001F469!"_s;
    expectOffsetsConsistent(text);
    EXPECT_EQ(codePointLength(text), qint64(text.toUcs4().size()));
    // Every grapheme boundary is also a code point boundary.
    for (qsizetype b : boundaries(text)) {
        if (b > 0 && b < text.size()) {
            EXPECT_FALSE(text[b].isLowSurrogate()) << b;
        }
    }
}

TEST(TextOffsetsTest, LoneSurrogatesCountAsOneCodePointEach)
{
    // Broken input must not make the counts disagree.
    QString text;
    text.append(QChar(0xD83D)); // high surrogate without its pair
    text.append(u'a');
    text.append(QChar(0xDE00)); // low surrogate without its pair
    EXPECT_EQ(codePointLength(text), 3);
    EXPECT_EQ(utf16IndexOfCodePoint(text, 1), 1);
    EXPECT_EQ(utf16IndexOfCodePoint(text, 2), 2);
    EXPECT_EQ(utf16IndexOfCodePoint(text, 3), 3);
    EXPECT_EQ(codePointOfUtf16Index(text, 2), 2);
}
