#include "core/formats/labelmeformat.h"
#include "core/formats/formatregistry.h"
#include "tests/core/resultassertions.h"
#include "tests/formats/formattestutil.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPolygonF>
#include <QTemporaryDir>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include <cmath>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

using test::annotation;
using test::exportAndImport;
using test::exportItem;
using test::failsMentioning;
using test::hasProblemAt;
using test::labelClass;
using test::lMask;
using test::noProblems;
using test::readJson;
using test::str;
using test::succeeds;

QString golden(const QString &name)
{
    return QStringLiteral(FIELDMARK_GOLDEN_DIR "/labelme/") + name;
}

// Images in `root/img`, JSON files written to `root`.
ExportData segmentationData(const QString &root)
{
    ExportData data;
    data.task.name = u"kitchen"_s;
    data.task.type = TaskType::Segmentation;
    data.task.classes = {labelClass(30, u"plate"_s, 2), labelClass(10, u"cup"_s, 0)};
    data.datasetRoot = root;
    Annotation cup = annotation(10, Box{1.5, 2, 3, 4.25});
    cup.attributes = {{u"group_id"_s, 3},
                      {u"flags"_s, QJsonObject{{u"occluded"_s, true}}},
                      {u"description"_s, u"chipped"_s}};
    const Polygon triangle{{QPointF(2, 1), QPointF(18, 1), QPointF(18, 9)}};
    data.items = {exportItem(1, root + u"/img/one.png"_s, 20, 10,
                             {cup, annotation(30, triangle), annotation(30, Mask{lMask()})}),
                  exportItem(2, root + u"/img/empty.png"_s, 4, 4, {})};
    return data;
}

TEST(LabelmeFormat, RegistryFindsLabelmeByName)
{
    const FormatRegistry registry = FormatRegistry::builtIn();
    const Format *labelme = registry.find(u"labelme"_s);
    ASSERT_NE(labelme, nullptr);
    EXPECT_EQ(labelme->displayName(), u"labelme JSON"_s);
    EXPECT_TRUE(labelme->fileFilter().isEmpty());
    const FormatCapabilities caps = labelme->capabilities();
    EXPECT_TRUE(caps.canRead && caps.canWrite && caps.writesFolder);
    for (TaskType type : {TaskType::Boxes, TaskType::Segmentation, TaskType::ImageClassification,
                          TaskType::ImageMultiLabel})
        EXPECT_TRUE(caps.tasks.contains(type)) << taskTypeName(type).toStdString();
    EXPECT_FALSE(caps.tasks.contains(TaskType::Spans));
}

TEST(LabelmeFormat, ReadsGoldenShapesFlagsAndSubfolders)
{
    const Result<FormatReadResult> read = LabelmeFormat().read(golden(u"shapes"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(noProblems(*read));
    EXPECT_EQ(read->classes,
              (QStringList{u"indoor"_s, u"night"_s, u"cup"_s, u"table"_s, u"plate"_s, u"stain"_s}));
    ASSERT_EQ(read->items.size(), 2);
    const QDir dir(golden(u"shapes"_s));

    const ImportedItem &kitchen = read->items[0];
    EXPECT_EQ(kitchen.path, dir.absoluteFilePath(u"kitchen.png"_s));
    EXPECT_EQ(kitchen.sourceRef, u"kitchen.json"_s);
    EXPECT_EQ(kitchen.width, 40);
    EXPECT_EQ(kitchen.height, 30);
    ASSERT_EQ(kitchen.annotations.size(), 5);
    // The flag set to true is a class tag; "night": false is not.
    EXPECT_EQ(kitchen.annotations[0].className, u"indoor"_s);
    EXPECT_TRUE(std::holds_alternative<ClassTag>(kitchen.annotations[0].shape));
    // A rectangle drawn from its bottom-right corner.
    EXPECT_EQ(kitchen.annotations[1].className, u"cup"_s);
    EXPECT_EQ(std::get<Box>(kitchen.annotations[1].shape), (Box{2.5, 4, 10, 16}));
    EXPECT_EQ(kitchen.annotations[1].attributes,
              (QJsonObject{{u"group_id"_s, 3},
                           {u"flags"_s, QJsonObject{{u"occluded"_s, true}}},
                           {u"description"_s, u"chipped"_s}}));
    EXPECT_EQ(std::get<Polygon>(kitchen.annotations[2].shape).points.size(), 4);
    EXPECT_TRUE(kitchen.annotations[2].attributes.isEmpty()); // null and empty defaults

    // The circle of radius 10 around (20, 15) becomes a polygon close to it.
    const Polygon circle = std::get<Polygon>(kitchen.annotations[3].shape);
    EXPECT_GE(circle.points.size(), 12);
    for (const QPointF &p : circle.points)
        EXPECT_NEAR(std::hypot(p.x() - 20, p.y() - 15), 10, 1e-9);
    EXPECT_NEAR(QPolygonF(circle.points).boundingRect().width(), 20, 0.5);

    // labelme 5.3's mask shape: a 1-bit PNG over the corners (5, 2)-(7, 5), an L.
    const RleMask &mask = std::get<Mask>(kitchen.annotations[4].shape).rle;
    EXPECT_EQ(mask.area(), lMask().area());
    for (const QPoint &p : {QPoint(5, 2), QPoint(5, 5), QPoint(7, 5)})
        EXPECT_TRUE(mask.contains(p.x(), p.y())) << p.x() << "," << p.y();
    EXPECT_FALSE(mask.contains(6, 3));

    // sub/yard.json: a Windows imagePath, no size in the file (taken from the image).
    const ImportedItem &yard = read->items[1];
    EXPECT_EQ(yard.path, dir.absoluteFilePath(u"sub/yard.png"_s));
    EXPECT_EQ(yard.sourceRef, u"sub/yard.json"_s);
    EXPECT_EQ(yard.width, 20);
    EXPECT_EQ(yard.height, 10);
    ASSERT_EQ(yard.annotations.size(), 1);
    EXPECT_EQ(std::get<Box>(yard.annotations[0].shape), (Box{0, 0, 20, 10}));
}

TEST(LabelmeFormat, ReportsEachMalformedKindWithFileAndJsonPath)
{
    const Result<FormatReadResult> read = LabelmeFormat().read(golden(u"malformed"_s));
    ASSERT_TRUE(succeeds(read));
    bool broken = false;
    for (const FormatProblem &problem : read->problems) {
        // The missing comma is on line 4; QJsonParseError's offset becomes line:column.
        if (problem.where.startsWith(u"broken.json:4:"_s)) {
            broken = true;
            EXPECT_TRUE(problem.reason.contains(u"malformed JSON"_s)) << str(problem.reason);
        }
    }
    EXPECT_TRUE(broken);
    for (const QString &where : {u"bad.json: flags.ok"_s,             // not a boolean
                                 u"bad.json: shapes[0].shape_type"_s, // point
                                 u"bad.json: shapes[1].shape_type"_s, // line
                                 u"bad.json: shapes[2].points"_s,     // polygon of 2 points
                                 u"bad.json: shapes[3].points"_s, // rectangle past the 10x10 image
                                 u"bad.json: shapes[4].label"_s,  // missing
                                 u"bad.json: shapes[5].points[1]"_s,  // "2" is a string
                                 u"bad.json: shapes[6].shape_type"_s, // unknown "ellipse"
                                 u"bad.json: shapes[7].group_id"_s,   // "x"
                                 u"bad.json: shapes[8].shape_type"_s, // linestrip
                                 u"missing-image.json: imagePath"_s, u"no-path.json: imagePath"_s,
                                 u"wrong-types.json: flags"_s, u"wrong-types.json: shapes"_s,
                                 u"wrong-types.json: imageHeight"_s})
        EXPECT_TRUE(hasProblemAt(*read, where));
    EXPECT_EQ(read->problems.size(), 16);

    // The valid rest: bad.json's last rectangle, and wrong-types.json's image sized from its
    // header.
    ASSERT_EQ(read->items.size(), 2);
    ASSERT_EQ(read->items[0].annotations.size(), 1);
    EXPECT_EQ(std::get<Box>(read->items[0].annotations[0].shape), (Box{1, 1, 8, 8}));
    EXPECT_EQ(read->items[1].sourceRef, u"wrong-types.json"_s);
    EXPECT_EQ(read->items[1].width, 10);
    EXPECT_EQ(read->items[1].height, 10);
}

TEST(LabelmeFormat, ImagePathsOutsideTheDatasetFolderAreRefused)
{
    const Result<FormatReadResult> read = LabelmeFormat().read(golden(u"escaping"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(hasProblemAt(*read, u"climbs.json: imagePath"_s));
    EXPECT_TRUE(hasProblemAt(*read, u"absolute.json: imagePath"_s));
    for (const FormatProblem &problem : read->problems)
        EXPECT_TRUE(problem.reason.contains(u"outside the dataset folder"_s))
            << str(problem.reason);
    EXPECT_EQ(read->problems.size(), 2);
    ASSERT_EQ(read->items.size(), 1);
    EXPECT_EQ(read->items[0].path, QDir(golden(u"escaping"_s)).absoluteFilePath(u"ok.png"_s));
}

TEST(LabelmeFormat, WritesTheLabelme5Schema)
{
    QTemporaryDir dir;
    const ExportData data = segmentationData(dir.path());
    ASSERT_TRUE(succeeds(LabelmeFormat().write(data, dir.path())));
    const QJsonObject one = readJson(dir.filePath(u"one.json"_s));
    EXPECT_TRUE(one[u"version"_s].toString().startsWith(u"5."_s));
    EXPECT_EQ(one[u"imagePath"_s].toString(), u"img/one.png"_s);
    EXPECT_TRUE(one[u"imageData"_s].isNull());
    EXPECT_EQ(one[u"imageWidth"_s].toInt(), 20);
    EXPECT_EQ(one[u"imageHeight"_s].toInt(), 10);
    EXPECT_EQ(one[u"flags"_s].toObject(), QJsonObject());
    const QJsonArray shapes = one[u"shapes"_s].toArray();
    ASSERT_EQ(shapes.size(), 3); // the L mask has one outline
    const QJsonObject cup = shapes[0].toObject();
    EXPECT_EQ(cup[u"label"_s].toString(), u"cup"_s);
    EXPECT_EQ(cup[u"shape_type"_s].toString(), u"rectangle"_s);
    EXPECT_EQ(cup[u"points"_s].toArray(), (QJsonArray{QJsonArray{1.5, 2}, QJsonArray{4.5, 6.25}}));
    EXPECT_EQ(cup[u"group_id"_s].toInt(), 3);
    EXPECT_EQ(cup[u"description"_s].toString(), u"chipped"_s);
    EXPECT_EQ(cup[u"flags"_s].toObject(), (QJsonObject{{u"occluded"_s, true}}));
    const QJsonObject triangle = shapes[1].toObject();
    EXPECT_EQ(triangle[u"shape_type"_s].toString(), u"polygon"_s);
    EXPECT_TRUE(triangle[u"group_id"_s].isNull());
    EXPECT_EQ(triangle[u"description"_s].toString(), u""_s);
    EXPECT_EQ(shapes[2][u"shape_type"_s].toString(), u"polygon"_s); // the mask's outline
    EXPECT_EQ(shapes[2][u"label"_s].toString(), u"plate"_s);

    const QJsonObject empty = readJson(dir.filePath(u"empty.json"_s));
    EXPECT_EQ(empty[u"shapes"_s].toArray().size(), 0); // a negative example still has its file
    EXPECT_EQ(empty[u"imagePath"_s].toString(), u"img/empty.png"_s);
}

TEST(LabelmeFormat, RoundTripKeepsShapesExactlyAndAttributes)
{
    QTemporaryDir dir;
    const ExportData data = segmentationData(dir.path());
    ASSERT_TRUE(succeeds(LabelmeFormat().write(data, dir.path())));
    const Result<FormatReadResult> read = LabelmeFormat().read(dir.path());
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(noProblems(*read));
    EXPECT_EQ(read->classes, (QStringList{u"cup"_s, u"plate"_s}));
    ASSERT_EQ(read->items.size(), 2); // empty.json, one.json
    EXPECT_EQ(read->items[0].path, data.items[1].item.path);
    EXPECT_EQ(read->items[0].width, 4);
    EXPECT_TRUE(read->items[0].annotations.isEmpty());
    const ImportedItem &one = read->items[1];
    EXPECT_EQ(one.path, data.items[0].item.path);
    ASSERT_EQ(one.annotations.size(), 3);
    EXPECT_EQ(one.annotations[0].shape, data.items[0].annotations[0].shape);
    EXPECT_EQ(one.annotations[0].attributes, data.items[0].annotations[0].attributes);
    EXPECT_EQ(one.annotations[1].shape, data.items[0].annotations[1].shape);
    EXPECT_TRUE(one.annotations[1].attributes.isEmpty());
    // The mask comes back as its outline polygon through the L's corners.
    QList<QPoint> corners;
    for (const QPointF &p : std::get<Polygon>(one.annotations[2].shape).points)
        corners.append(p.toPoint());
    for (const QPoint &corner : {QPoint(5, 2), QPoint(5, 5), QPoint(7, 5)})
        EXPECT_TRUE(corners.contains(corner)) << corner.x() << "," << corner.y();
}

TEST(LabelmeFormat, ImageClassesTravelAsTheFileFlags)
{
    QTemporaryDir dir;
    ExportData data;
    data.task.type = TaskType::ImageMultiLabel;
    data.task.classes = {labelClass(1, u"indoor"_s, 0), labelClass(2, u"night"_s, 1),
                         labelClass(3, u"people"_s, 2)};
    data.items = {exportItem(1, dir.filePath(u"a.png"_s), 8, 8,
                             {annotation(1, ClassTag{}), annotation(3, ClassTag{})}),
                  exportItem(2, dir.filePath(u"b.png"_s), 8, 8, {})};
    EXPECT_TRUE(LabelmeFormat().lossReport(data).isEmpty())
        << str(LabelmeFormat().lossReport(data).losses.join(u'\n'));
    ASSERT_TRUE(succeeds(LabelmeFormat().write(data, dir.path())));
    EXPECT_EQ(readJson(dir.filePath(u"a.json"_s))[u"flags"_s].toObject(),
              (QJsonObject{{u"indoor"_s, true}, {u"night"_s, false}, {u"people"_s, true}}));
    EXPECT_EQ(readJson(dir.filePath(u"b.json"_s))[u"flags"_s].toObject(),
              (QJsonObject{{u"indoor"_s, false}, {u"night"_s, false}, {u"people"_s, false}}));

    const Result<FormatReadResult> read = LabelmeFormat().read(dir.path());
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(noProblems(*read));
    EXPECT_EQ(read->classes, (QStringList{u"indoor"_s, u"night"_s, u"people"_s}));
    ASSERT_EQ(read->items.size(), 2);
    QStringList tags;
    for (const ImportedAnnotation &a : read->items[0].annotations) {
        EXPECT_TRUE(std::holds_alternative<ClassTag>(a.shape));
        tags.append(a.className);
    }
    EXPECT_EQ(tags, (QStringList{u"indoor"_s, u"people"_s}));
    EXPECT_TRUE(read->items[1].annotations.isEmpty());
}

TEST(LabelmeFormat, LossReportCountsWhatLabelmeCannotHold)
{
    QTemporaryDir dir;
    ExportData data = segmentationData(dir.path());
    data.items[0].annotations[1].provenance.confidence = 0.8;
    data.items[0].annotations[1].provenance.state = LabelState::MachineAccepted;
    data.items[1].annotations = {annotation(10, Span{0, 3}), annotation(10, Box{0, 0, 1, 1})};
    data.items[1].annotations[1].attributes = {{u"difficult"_s, true}};
    const LossReport report = LabelmeFormat().lossReport(data);
    const QString all = report.losses.join(u'\n');
    for (const QString &expected :
         {u"1 masks are written as their outline polygons"_s, u"holes are lost"_s,
          u"confidences are not kept: labelme has no score, and 1 annotations"_s, u"1 text spans"_s,
          u"1 annotations carry attributes labelme has no place for (difficult)"_s,
          u"label provenance"_s})
        EXPECT_TRUE(all.contains(expected)) << str(expected) << "\nin\n" << str(all);
    EXPECT_EQ(report.losses.size(), 5) << str(all);
    EXPECT_FALSE(all.contains(u"whole-image"_s));
}

TEST(LabelmeFormat, CancelledWriteLeavesNoFileAndCancelledReadStops)
{
    QTemporaryDir dir;
    const ExportData data = segmentationData(dir.path());
    const QString out = dir.filePath(u"out"_s);
    const Progress stopAtSecond([](qint64 done, qint64) { return done < 1; });
    const Result<void> written = LabelmeFormat().write(data, out, stopAtSecond);
    ASSERT_FALSE(written.ok());
    EXPECT_TRUE(isFormatCancelled(written.error()));
    EXPECT_FALSE(QFileInfo::exists(out));

    const Result<FormatReadResult> read = LabelmeFormat().read(golden(u"shapes"_s), stopAtSecond);
    ASSERT_FALSE(read.ok());
    EXPECT_TRUE(isFormatCancelled(read.error()));
}

TEST(LabelmeFormat, UnknownClassOrMissingFolderFails)
{
    QTemporaryDir dir;
    ExportData data = segmentationData(dir.path());
    data.items[1].annotations.append(annotation(999, Box{0, 0, 1, 1}));
    const QString out = dir.filePath(u"out"_s);
    EXPECT_TRUE(failsMentioning(LabelmeFormat().write(data, out), {u"999"_s, u"empty.png"_s}));
    EXPECT_FALSE(QFileInfo::exists(out));
    EXPECT_TRUE(failsMentioning(LabelmeFormat().read(out), {u"no such folder"_s}));
    EXPECT_TRUE(failsMentioning(LabelmeFormat().read(dir.filePath(u"img"_s)), {u".json"_s}));
}

TEST(LabelmeFormat, ProjectRoundTripThroughExportAndImportKeepsShapesAndAttributes)
{
    QTemporaryDir dir;
    Annotation piece = annotation(1, Polygon{{QPointF(2, 1), QPointF(18, 1), QPointF(18, 9)}});
    piece.attributes = {{u"group_id"_s, 2}, {u"description"_s, u"left half"_s}};
    // A solid block: the outline of a one-pixel-wide stroke would fold onto itself, which
    // the project refuses as a polygon (see maskOutlines).
    const RleMask block = RleMask::fromMat(cv::Mat(3, 4, CV_8UC1, cv::Scalar(255)), QPoint(4, 3));
    const QList<QList<Annotation>> perItem{{piece}, {annotation(0, Mask{block})}};
    const Result<test::PipelineResult> result = exportAndImport(
        dir.path(), LabelmeFormat(), TaskType::Segmentation, {u"cup"_s, u"plate"_s}, perItem);
    ASSERT_TRUE(succeeds(result));
    EXPECT_TRUE(result->problems.isEmpty()) << str(result->problems.value(0).reason);
    const QList<Annotation> &back = result->annotations;
    ASSERT_EQ(back.size(), 2);
    EXPECT_EQ(back[0].shape, piece.shape);
    EXPECT_EQ(back[0].attributes, piece.attributes);
    // The outline through the centres of the block's corner pixels.
    EXPECT_EQ(QPolygonF(std::get<Polygon>(back[1].shape).points).boundingRect(),
              QRectF(4, 3, 3, 2));
    EXPECT_NE(back[0].itemId, back[1].itemId);
}

TEST(LabelmeFormat, ProjectRoundTripOfImageClassesThroughFlags)
{
    QTemporaryDir dir;
    const QList<QList<Annotation>> perItem{
        {annotation(0, ClassTag{}), annotation(2, ClassTag{})}, {}, {annotation(1, ClassTag{})}};
    const Result<test::PipelineResult> result =
        exportAndImport(dir.path(), LabelmeFormat(), TaskType::ImageMultiLabel,
                        {u"indoor"_s, u"night"_s, u"people"_s}, perItem);
    ASSERT_TRUE(succeeds(result));
    EXPECT_TRUE(result->problems.isEmpty()) << str(result->problems.value(0).reason);
    const QList<Annotation> &back = result->annotations;
    ASSERT_EQ(back.size(), 3);
    for (const Annotation &a : back)
        EXPECT_TRUE(std::holds_alternative<ClassTag>(a.shape));
    EXPECT_EQ(back[0].itemId, back[1].itemId);
    EXPECT_NE(back[0].classId, back[1].classId);
    EXPECT_NE(back[2].itemId, back[0].itemId);
}

} // namespace
} // namespace fieldmark
