#include "core/formats/cocoformat.h"
#include "core/formats/formatregistry.h"
#include "tests/core/resultassertions.h"
#include "tests/formats/formattestutil.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <opencv2/core.hpp>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

using test::annotation;
using test::failsMentioning;
using test::labelClass;
using test::lMask;
using test::readJson;
using test::str;
using test::succeeds;

QString golden(const QString &name)
{
    return QStringLiteral(FIELDMARK_GOLDEN_DIR "/coco/") + name + u'/' + name + u".json"_s;
}

// Passes when one of the problems names `where` (a JSON path) and the file.
testing::AssertionResult hasProblemAt(const FormatReadResult &result, const QString &where)
{
    for (const FormatProblem &problem : result.problems) {
        if (problem.where.endsWith(where) && problem.where.contains(u".json"_s))
            return testing::AssertionSuccess() << str(problem.where) << ": " << str(problem.reason);
    }
    testing::AssertionResult failure = testing::AssertionFailure();
    failure << "no problem at " << str(where) << "; problems:";
    for (const FormatProblem &problem : result.problems)
        failure << "\n  " << str(problem.where) << ": " << str(problem.reason);
    return failure;
}

ExportItem exportItem(const QString &path, int width, int height, QList<Annotation> annotations)
{
    ExportItem e;
    e.item.path = path;
    e.item.width = width;
    e.item.height = height;
    e.annotations = std::move(annotations);
    return e;
}

// Boxes task with classes whose positions differ from their order in the list and their ids.
ExportData sampleData(const QString &root)
{
    ExportData data;
    data.task.name = u"shapes"_s;
    data.task.type = TaskType::Segmentation;
    data.task.classes = {labelClass(30, u"tree"_s, 2), labelClass(10, u"car"_s, 0),
                         labelClass(20, u"unused"_s, 1)};
    data.datasetRoot = root;
    Polygon triangle{{QPointF(1, 1), QPointF(9, 1), QPointF(9, 7.5)}};
    data.items = {exportItem(root + u"/img/one.png"_s, 20, 10,
                             {annotation(10, Box{1, 2, 3, 4}, 0.75), annotation(30, triangle)}),
                  exportItem(root + u"/two.png"_s, 12, 8, {annotation(30, Mask{lMask()})})};
    return data;
}

TEST(CocoFormat, RegistryFindsCocoByName)
{
    const FormatRegistry registry = FormatRegistry::builtIn();
    const Format *coco = registry.find(u"coco"_s);
    ASSERT_NE(coco, nullptr);
    EXPECT_EQ(coco->displayName(), u"COCO JSON"_s);
    EXPECT_TRUE(coco->capabilities().canRead);
    EXPECT_TRUE(coco->capabilities().canWrite);
    EXPECT_TRUE(coco->capabilities().tasks.contains(TaskType::Segmentation));
    EXPECT_EQ(registry.find(u"nope"_s), nullptr);
    QStringList names;
    for (const Format *format : registry.formats())
        names.append(format->name());
    EXPECT_TRUE(names.contains(u"coco"_s));
    EXPECT_EQ(names.removeDuplicates(), 0) << "each format is registered once";
}

TEST(CocoFormat, ReadsGoldenBoxes)
{
    const Result<FormatReadResult> read = CocoFormat().read(golden(u"boxes"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty());
    EXPECT_EQ(read->classes, (QStringList{u"dog"_s, u"cat"_s}));
    ASSERT_EQ(read->items.size(), 2);
    const QDir dir = QFileInfo(golden(u"boxes"_s)).absoluteDir();
    const ImportedItem &a = read->items[0];
    EXPECT_EQ(a.path, dir.absoluteFilePath(u"a.png"_s));
    EXPECT_EQ(a.width, 640);
    EXPECT_EQ(a.height, 480);
    EXPECT_EQ(a.extra.value(u"license"_s).toInt(), 3);
    ASSERT_EQ(a.annotations.size(), 2);
    EXPECT_EQ(a.annotations[0].className, u"cat"_s);
    EXPECT_EQ(std::get<Box>(a.annotations[0].shape), (Box{10, 20, 30, 40}));
    EXPECT_FALSE(a.annotations[0].confidence.has_value());
    EXPECT_EQ(a.annotations[1].className, u"dog"_s);
    EXPECT_EQ(std::get<Box>(a.annotations[1].shape), (Box{100.5, 50.25, 20, 10}));
    EXPECT_EQ(a.annotations[1].confidence, 0.9);
    const ImportedItem &b = read->items[1];
    EXPECT_EQ(b.path, dir.absoluteFilePath(u"sub/b.jpg"_s));
    ASSERT_EQ(b.annotations.size(), 1);
    EXPECT_EQ(std::get<Box>(b.annotations[0].shape), (Box{0, 0, 320, 240}));
}

TEST(CocoFormat, ReadsGoldenPolygonsAndReportsShortOnes)
{
    const Result<FormatReadResult> read = CocoFormat().read(golden(u"polygon"_s));
    ASSERT_TRUE(succeeds(read));
    ASSERT_EQ(read->items.size(), 1);
    const QList<ImportedAnnotation> &annotations = read->items[0].annotations;
    ASSERT_EQ(annotations.size(), 2); // one COCO object with two parts
    EXPECT_EQ(std::get<Polygon>(annotations[0].shape),
              (Polygon{{QPointF(10, 10), QPointF(50, 10), QPointF(50, 40)}}));
    EXPECT_EQ(std::get<Polygon>(annotations[1].shape).points.size(), 4);
    EXPECT_EQ(annotations[1].className, u"leaf"_s);
    EXPECT_TRUE(hasProblemAt(*read, u"annotations[1].segmentation[0]"_s));
    EXPECT_EQ(read->problems.size(), 1);
}

TEST(CocoFormat, ReadsGoldenRleInBothEncodings)
{
    const Result<FormatReadResult> read = CocoFormat().read(golden(u"rle"_s));
    ASSERT_TRUE(succeeds(read));
    ASSERT_EQ(read->items.size(), 1);
    const QList<ImportedAnnotation> &annotations = read->items[0].annotations;
    ASSERT_EQ(annotations.size(), 2);
    for (const ImportedAnnotation &annotation : annotations) {
        const RleMask &mask = std::get<Mask>(annotation.shape).rle;
        EXPECT_EQ(mask.bounds(), QRect(1, 0, 3, 3));
        EXPECT_EQ(mask.area(), 4);
        // Column-major runs [5, 2, 2, 2, 1] over 3 rows set these four pixels.
        EXPECT_TRUE(mask.contains(1, 2));
        EXPECT_TRUE(mask.contains(2, 0));
        EXPECT_TRUE(mask.contains(3, 0));
        EXPECT_TRUE(mask.contains(3, 1));
        EXPECT_FALSE(mask.contains(2, 1));
    }
    EXPECT_EQ(std::get<Mask>(annotations[0].shape), std::get<Mask>(annotations[1].shape));
    // The third record's runs cover 11 of 12 pixels.
    EXPECT_TRUE(hasProblemAt(*read, u"annotations[2].segmentation.counts"_s));
    EXPECT_TRUE(hasProblemAt(*read, u"annotations[3].segmentation.counts"_s)); // bad string
    EXPECT_TRUE(hasProblemAt(*read, u"annotations[4].segmentation.size"_s));   // not 4x3
    EXPECT_EQ(read->problems.size(), 3);
}

TEST(CocoFormat, TruncatedJsonNamesFileLineAndColumn)
{
    const Result<FormatReadResult> read = CocoFormat().read(golden(u"truncated"_s));
    EXPECT_TRUE(failsMentioning(read, {u"truncated.json:3:"_s, u"malformed JSON"_s}));
}

TEST(CocoFormat, UnknownCategoryAndImageAreProblemsAndTheRestImports)
{
    const Result<FormatReadResult> read = CocoFormat().read(golden(u"unknown-category"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(hasProblemAt(*read, u"annotations[1].category_id"_s));
    EXPECT_TRUE(hasProblemAt(*read, u"annotations[2].image_id"_s));
    EXPECT_EQ(read->problems.size(), 2);
    ASSERT_EQ(read->items.size(), 1);
    EXPECT_EQ(read->items[0].annotations.size(), 1);
}

TEST(CocoFormat, BoxOutsideItsImageOrMalformedIsAProblem)
{
    const Result<FormatReadResult> read = CocoFormat().read(golden(u"bbox-outside"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(hasProblemAt(*read, u"annotations[0].bbox"_s));
    EXPECT_TRUE(hasProblemAt(*read, u"annotations[1].bbox"_s));
    ASSERT_EQ(read->items.size(), 1);
    ASSERT_EQ(read->items[0].annotations.size(), 1);
    EXPECT_EQ(std::get<Box>(read->items[0].annotations[0].shape), (Box{0, 0, 100, 100}));
}

TEST(CocoFormat, PathsEscapingTheFolderAreRefused)
{
    const Result<FormatReadResult> read = CocoFormat().read(golden(u"escaping-path"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(hasProblemAt(*read, u"images[0].file_name"_s));
    EXPECT_TRUE(hasProblemAt(*read, u"images[1].file_name"_s));
    EXPECT_EQ(read->problems.size(), 2); // the skipped image's annotation is not reported again
    ASSERT_EQ(read->items.size(), 1);
    EXPECT_TRUE(read->items[0].path.endsWith(u"escaping-path/inside/ok.png"_s));
    EXPECT_EQ(read->items[0].annotations.size(), 1);
}

TEST(CocoFormat, RoundTripKeepsShapesClassesAndSizes)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const ExportData data = sampleData(dir.path());
    const QString path = dir.filePath(u"out.json"_s);
    ASSERT_TRUE(succeeds(CocoFormat().write(data, path)));

    const Result<FormatReadResult> read = CocoFormat().read(path);
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty());
    EXPECT_EQ(read->classes, (QStringList{u"car"_s, u"unused"_s, u"tree"_s}));
    ASSERT_EQ(read->items.size(), 2);
    EXPECT_EQ(read->items[0].path, data.items[0].item.path);
    EXPECT_EQ(read->items[0].width, 20);
    EXPECT_EQ(read->items[0].height, 10);
    EXPECT_EQ(read->items[1].path, data.items[1].item.path);
    ASSERT_EQ(read->items[0].annotations.size(), 2);
    EXPECT_EQ(read->items[0].annotations[0].className, u"car"_s);
    EXPECT_EQ(read->items[0].annotations[0].shape, data.items[0].annotations[0].shape);
    EXPECT_EQ(read->items[0].annotations[0].confidence, 0.75);
    EXPECT_EQ(read->items[0].annotations[1].className, u"tree"_s);
    EXPECT_EQ(read->items[0].annotations[1].shape, data.items[0].annotations[1].shape);
    EXPECT_FALSE(read->items[0].annotations[1].confidence.has_value());
    ASSERT_EQ(read->items[1].annotations.size(), 1);
    EXPECT_EQ(std::get<Mask>(read->items[1].annotations[0].shape).rle, lMask());
}

TEST(CocoFormat, WritesRelativePathsBoxesAreasAndAllCategories)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    ExportData data = sampleData(dir.path());
    data.items.append(exportItem(u"/elsewhere/three.png"_s, 5, 5, {}));
    const QString path = dir.filePath(u"out.json"_s);
    ASSERT_TRUE(succeeds(CocoFormat().write(data, path)));
    const QJsonObject root = readJson(path);
    const QJsonArray images = root[u"images"_s].toArray();
    ASSERT_EQ(images.size(), 3);
    EXPECT_EQ(images[0][u"id"_s].toInt(), 1);
    EXPECT_EQ(images[0][u"file_name"_s].toString(), u"img/one.png"_s);
    EXPECT_EQ(images[2][u"file_name"_s].toString(), u"/elsewhere/three.png"_s);
    const QJsonArray annotations = root[u"annotations"_s].toArray();
    ASSERT_EQ(annotations.size(), 3);
    EXPECT_EQ(annotations[0][u"score"_s].toDouble(), 0.75);
    EXPECT_FALSE(annotations[1].toObject().contains(u"score"_s));
    EXPECT_EQ(annotations[1][u"bbox"_s].toArray(), (QJsonArray{1, 1, 8, 6.5}));
    EXPECT_EQ(annotations[1][u"area"_s].toDouble(), 8 * 6.5 / 2);
    const QJsonObject rle = annotations[2][u"segmentation"_s].toObject();
    EXPECT_EQ(rle[u"size"_s].toArray(), (QJsonArray{8, 12}));
    EXPECT_EQ(annotations[2][u"bbox"_s].toArray(), (QJsonArray{5, 2, 3, 4}));
    EXPECT_EQ(annotations[2][u"area"_s].toInt(), 6);
    // Column 5 holds rows 2..5, columns 6 and 7 only row 5: column-major runs over 8 rows.
    EXPECT_EQ(rle[u"counts"_s].toArray(), (QJsonArray{42, 4, 7, 1, 7, 1, 34}));
    EXPECT_EQ(root[u"categories"_s].toArray().size(), 3);
}

TEST(CocoFormat, CategoryIdsComeFromClassPositionsAndSurviveRenames)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    ExportData data = sampleData(dir.path());
    const QString before = dir.filePath(u"before.json"_s);
    ASSERT_TRUE(succeeds(CocoFormat().write(data, before)));
    data.task.classes[0].name = u"oak"_s; // "tree", position 2
    const QString after = dir.filePath(u"after.json"_s);
    ASSERT_TRUE(succeeds(CocoFormat().write(data, after)));

    const QJsonObject first = readJson(before);
    const QJsonObject second = readJson(after);
    // "tree" is the first class seen and first in the list, but its position makes it 3.
    EXPECT_EQ(first[u"annotations"_s][0][u"category_id"_s].toInt(), 1);
    EXPECT_EQ(first[u"annotations"_s][1][u"category_id"_s].toInt(), 3);
    EXPECT_EQ(first[u"annotations"_s], second[u"annotations"_s]);
    const QJsonArray categories = second[u"categories"_s].toArray();
    ASSERT_EQ(categories.size(), 3);
    EXPECT_EQ(categories[2][u"id"_s].toInt(), 3);
    EXPECT_EQ(categories[2][u"name"_s].toString(), u"oak"_s);
    EXPECT_EQ(categories[1][u"name"_s].toString(), u"unused"_s);
}

TEST(CocoFormat, WritingLeavesNoTemporaryFileBehind)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(u"out.json"_s);
    ASSERT_TRUE(succeeds(CocoFormat().write(sampleData(dir.path()), path)));
    ASSERT_TRUE(succeeds(CocoFormat().write(sampleData(dir.path()), path))); // overwrite
    EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files), QStringList{u"out.json"_s});
}

TEST(CocoFormat, FailedWriteLeavesTheOldFileAndNoTemporary)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(u"out.json"_s);
    ASSERT_TRUE(succeeds(CocoFormat().write(sampleData(dir.path()), path)));
    const QJsonObject good = readJson(path);
    ExportData bad = sampleData(dir.path());
    bad.items[1].annotations.append(annotation(999, Box{0, 0, 1, 1}));
    EXPECT_TRUE(failsMentioning(CocoFormat().write(bad, path), {u"999"_s, u"two.png"_s}));
    EXPECT_EQ(readJson(path), good);
    EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files), QStringList{u"out.json"_s});
}

TEST(CocoFormat, LossReportListsTagsSpansAndProvenance)
{
    ExportData data = sampleData(u"/data"_s);
    EXPECT_EQ(CocoFormat().lossReport(data).losses.size(), 1); // one machine label
    data.items[0].annotations[0].provenance.state = LabelState::Human;
    EXPECT_TRUE(CocoFormat().lossReport(data).isEmpty());

    data.items[0].annotations.append(annotation(10, ClassTag{}));
    data.items[0].annotations.append(annotation(10, ClassTag{}));
    data.items[1].annotations.append(annotation(30, Span{0, 4}));
    data.items[1].annotations[0].provenance.state = LabelState::MachineEdited;
    const LossReport report = CocoFormat().lossReport(data);
    ASSERT_EQ(report.losses.size(), 3) << str(report.losses.join(u"; "_s));
    EXPECT_TRUE(report.losses[0].startsWith(u"2 whole-image class labels"_s));
    EXPECT_TRUE(report.losses[1].startsWith(u"1 text spans"_s));
    EXPECT_TRUE(report.losses[2].startsWith(u"label provenance"_s));

    // Neither tags nor spans are written.
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    data.datasetRoot = dir.path();
    const QString path = dir.filePath(u"out.json"_s);
    ASSERT_TRUE(succeeds(CocoFormat().write(data, path)));
    EXPECT_EQ(readJson(path)[u"annotations"_s].toArray().size(), 3);
}

} // namespace
} // namespace fieldmark
