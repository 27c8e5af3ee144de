#include "core/formats/yoloformat.h"
#include "core/formats/formatregistry.h"
#include "tests/core/resultassertions.h"
#include "tests/formats/formattestutil.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>

#include <opencv2/core.hpp>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

using test::annotation;
using test::exportItem;
using test::failsMentioning;
using test::hasProblemAt;
using test::labelClass;
using test::lMask;
using test::makeImage;
using test::readText;
using test::str;
using test::succeeds;

void writeText(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(text);
}

// Positions 0 and 2 are used, 1 is a gap, and the list order matches neither.
ExportData sampleData(const QString &root)
{
    ExportData data;
    data.task.name = u"shapes"_s;
    data.task.type = TaskType::Segmentation;
    data.task.classes = {labelClass(30, u"tree"_s, 2), labelClass(10, u"car"_s, 0)};
    data.datasetRoot = root;
    const Polygon triangle{{QPointF(2, 1), QPointF(18, 1), QPointF(18, 9)}};
    data.items = {exportItem(1, root + u"/img/one.png"_s, 20, 10,
                             {annotation(10, Box{1, 2, 3, 4}, 0.75), annotation(30, triangle)}),
                  exportItem(2, root + u"/two.png"_s, 12, 8, {annotation(30, Mask{lMask()})}),
                  exportItem(3, root + u"/empty.png"_s, 4, 4, {})};
    return data;
}

TEST(YoloFormat, RegistryFindsYoloByName)
{
    const FormatRegistry registry = FormatRegistry::builtIn();
    const Format *yolo = registry.find(u"YOLO"_s);
    ASSERT_NE(yolo, nullptr);
    EXPECT_EQ(yolo->displayName(), u"YOLO txt"_s);
    const FormatCapabilities caps = yolo->capabilities();
    EXPECT_TRUE(caps.canRead && caps.canWrite && caps.writesFolder);
    EXPECT_TRUE(caps.tasks.contains(TaskType::Boxes));
    EXPECT_TRUE(caps.tasks.contains(TaskType::Segmentation));
}

TEST(YoloFormat, WritesExactLinesAndClassFilesWithPositionIds)
{
    QTemporaryDir dir;
    const ExportData data = sampleData(dir.path());
    const QString out = dir.filePath(u"out"_s);
    ASSERT_TRUE(succeeds(YoloFormat().write(data, out)));

    // Box (1, 2, 3, 4) on 20x10: centre (2.5, 4), size 3x4; class car is position 0.
    // The triangle's class tree is position 2, though it is first in the list.
    EXPECT_EQ(readText(out + u"/labels/one.txt"_s),
              "0 0.125000 0.400000 0.150000 0.400000\n"
              "2 0.100000 0.100000 0.900000 0.100000 0.900000 0.900000\n");
    EXPECT_EQ(readText(out + u"/labels/empty.txt"_s), QByteArray()); // a negative
    EXPECT_EQ(readText(out + u"/classes.txt"_s), "car\nunused_1\ntree\n");
    const QByteArray yaml = readText(out + u"/data.yaml"_s);
    EXPECT_TRUE(yaml.contains("\nnc: 3\nnames:\n  0: \"car\"\n  1: \"unused_1\"\n  2: \"tree\"\n"))
        << yaml.toStdString();
    EXPECT_TRUE(yaml.contains(QByteArray("path: \"" + QDir(out).absolutePath().toUtf8() + "\"\n")));
    EXPECT_EQ(readText(out + u"/images.txt"_s),
              (data.items[0].item.path + u'\n' + data.items[1].item.path + u'\n' +
               data.items[2].item.path + u'\n')
                  .toUtf8());
}

TEST(YoloFormat, RenamedClassKeepsItsId)
{
    QTemporaryDir dir;
    ExportData data = sampleData(dir.path());
    data.task.classes[0].name = u"oak"_s; // tree, position 2
    const QString out = dir.filePath(u"out"_s);
    ASSERT_TRUE(succeeds(YoloFormat().write(data, out)));
    EXPECT_TRUE(readText(out + u"/labels/one.txt"_s).contains("\n2 0.100000"));
    EXPECT_EQ(readText(out + u"/classes.txt"_s), "car\nunused_1\noak\n");
}

TEST(YoloFormat, RoundTripsBoxesPolygonsAndMasksAsPolygons)
{
    QTemporaryDir dir;
    const ExportData data = sampleData(dir.path());
    const QString out = dir.filePath(u"out"_s);
    ASSERT_TRUE(succeeds(YoloFormat().write(data, out)));
    const Result<FormatReadResult> read = YoloFormat().read(out);
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    EXPECT_EQ(read->classes, (QStringList{u"car"_s, u"tree"_s})); // no placeholder
    ASSERT_EQ(read->items.size(), 3);
    // Label files are read in name order: empty, one, two; images are found via images.txt.
    EXPECT_EQ(read->items[0].path, data.items[2].item.path);
    EXPECT_TRUE(read->items[0].annotations.isEmpty());

    const ImportedItem &one = read->items[1];
    EXPECT_EQ(one.path, data.items[0].item.path);
    EXPECT_EQ(one.width, 20);
    EXPECT_EQ(one.height, 10);
    ASSERT_EQ(one.annotations.size(), 2);
    EXPECT_EQ(one.annotations[0].className, u"car"_s);
    EXPECT_FALSE(one.annotations[0].confidence.has_value());
    const Box box = std::get<Box>(one.annotations[0].shape);
    EXPECT_NEAR(box.x, 1, 1e-4);
    EXPECT_NEAR(box.y, 2, 1e-4);
    EXPECT_NEAR(box.width, 3, 1e-4);
    EXPECT_NEAR(box.height, 4, 1e-4);
    EXPECT_EQ(one.annotations[1].className, u"tree"_s);
    const Polygon triangle = std::get<Polygon>(one.annotations[1].shape);
    const Polygon expected = std::get<Polygon>(data.items[0].annotations[1].shape);
    ASSERT_EQ(triangle.points.size(), 3);
    for (int i = 0; i < 3; ++i) {
        EXPECT_NEAR(triangle.points[i].x(), expected.points[i].x(), 1e-4);
        EXPECT_NEAR(triangle.points[i].y(), expected.points[i].y(), 1e-4);
    }

    const ImportedItem &two = read->items[2];
    ASSERT_EQ(two.annotations.size(), 1);
    EXPECT_EQ(two.annotations[0].className, u"tree"_s);
    const Polygon outline = std::get<Polygon>(two.annotations[0].shape);
    // The L's corners in pixel coordinates: (5,2) down to (5,5), across to (7,5); the outline
    // of a one-pixel stroke walks back along it, so corners repeat.
    QList<QPoint> corners;
    for (const QPointF &p : outline.points)
        corners.append(p.toPoint());
    EXPECT_GE(corners.size(), 3);
    for (const QPoint &corner : {QPoint(5, 2), QPoint(5, 5), QPoint(7, 5)})
        EXPECT_TRUE(corners.contains(corner)) << corner.x() << "," << corner.y();
}

TEST(YoloFormat, LossReportCountsMasksConfidencesTagsAndProvenance)
{
    QTemporaryDir dir;
    ExportData data = sampleData(dir.path());
    data.items[2].annotations = {annotation(10, ClassTag{})};
    const LossReport report = YoloFormat().lossReport(data);
    const QString all = report.losses.join(u'\n');
    EXPECT_TRUE(all.contains(u"1 masks are written as their outline polygons"_s)) << str(all);
    EXPECT_TRUE(all.contains(u"confidences are not kept: 1 annotations"_s)) << str(all);
    EXPECT_TRUE(all.contains(u"1 whole-image class labels"_s)) << str(all);
    EXPECT_TRUE(all.contains(u"provenance"_s)) << str(all);

    ExportData plain;
    plain.items = {
        exportItem(1, dir.filePath(u"p.png"_s), 10, 10, {annotation(1, Box{0, 0, 5, 5})})};
    EXPECT_TRUE(YoloFormat().lossReport(plain).isEmpty());
}

TEST(YoloFormat, SharedBaseNamesGetDistinctLabelFiles)
{
    QTemporaryDir dir;
    ExportData data;
    data.task.classes = {labelClass(1, u"a"_s, 0)};
    data.items = {
        exportItem(7, dir.filePath(u"a/x.png"_s), 10, 10, {annotation(1, Box{0, 0, 5, 5})}),
        exportItem(9, dir.filePath(u"b/x.png"_s), 10, 10, {})};
    const QString out = dir.filePath(u"out"_s);
    ASSERT_TRUE(succeeds(YoloFormat().write(data, out)));
    EXPECT_EQ(readText(out + u"/labels/x_7.txt"_s), "0 0.250000 0.250000 0.500000 0.500000\n");
    EXPECT_EQ(readText(out + u"/labels/x_9.txt"_s), QByteArray());
    EXPECT_FALSE(QFile::exists(out + u"/labels/x.txt"_s));
}

TEST(YoloFormat, BoxesOnTheEdgeComeBackInsideTheImage)
{
    // Sevenths have no 6-decimal form: a 4 px box at the left edge prints as starting at
    // -3.5e-6 px.
    QTemporaryDir dir;
    ExportData data;
    data.task.classes = {labelClass(1, u"a"_s, 0)};
    data.items = {exportItem(1, dir.filePath(u"e.png"_s), 7, 7,
                             {annotation(1, Box{4, 4, 3, 3}), annotation(1, Box{0, 0, 4, 7})})};
    const QString out = dir.filePath(u"out"_s);
    ASSERT_TRUE(succeeds(YoloFormat().write(data, out)));
    const Result<FormatReadResult> read = YoloFormat().read(out);
    ASSERT_TRUE(succeeds(read));
    ASSERT_EQ(read->items.size(), 1);
    ASSERT_EQ(read->items[0].annotations.size(), 2);
    for (const ImportedAnnotation &a : read->items[0].annotations) {
        const Box box = std::get<Box>(a.shape);
        EXPECT_GE(box.x, 0);
        EXPECT_GE(box.y, 0);
        EXPECT_LE(box.x + box.width, 7);
        EXPECT_LE(box.y + box.height, 7);
    }
    EXPECT_NEAR(std::get<Box>(read->items[0].annotations[0].shape).x, 4, 1e-5);
}

TEST(YoloFormat, AnExportReplacesItsOldFilesOnlyWhenWhole)
{
    QTemporaryDir dir;
    ExportData data;
    data.task.classes = {labelClass(1, u"a"_s, 0)};
    data.items = {exportItem(1, dir.filePath(u"f.png"_s), 10, 10, {annotation(1, Box{0, 0, 5, 5})}),
                  exportItem(2, dir.filePath(u"g.png"_s), 10, 10, {})};
    const QString out = dir.filePath(u"out"_s);
    ASSERT_TRUE(succeeds(YoloFormat().write(data, out)));
    const QByteArray before = readText(out + u"/labels/f.txt"_s);

    // A second export with other boxes, cancelled on its last item: the first stays whole,
    // and no temporary file is left.
    data.items[0].annotations = {annotation(1, Box{1, 1, 2, 2})};
    EXPECT_FALSE(
        YoloFormat().write(data, out, Progress([](qint64 done, qint64) { return done < 1; })));
    EXPECT_EQ(readText(out + u"/labels/f.txt"_s), before);
    EXPECT_EQ(QDir(out + u"/labels"_s).entryList(QDir::Files).size(), 2);

    ASSERT_TRUE(succeeds(YoloFormat().write(data, out)));
    EXPECT_NE(readText(out + u"/labels/f.txt"_s), before);
    EXPECT_EQ(QDir(out + u"/labels"_s).entryList(QDir::Files).size(), 2);
}

TEST(YoloFormat, ClipsBoxesToTheImageAndSaysSo)
{
    QTemporaryDir dir;
    ExportData data;
    data.task.classes = {labelClass(1, u"a"_s, 0)};
    data.items = {exportItem(1, dir.filePath(u"c.png"_s), 10, 10,
                             {annotation(1, Box{5, 5, 10, 10}), annotation(1, Box{20, 20, 2, 2})})};
    EXPECT_TRUE(YoloFormat().lossReport(data).losses.join(u' ').contains(u"2 shapes reach past"_s));
    const QString out = dir.filePath(u"out"_s);
    ASSERT_TRUE(succeeds(YoloFormat().write(data, out)));
    EXPECT_EQ(readText(out + u"/labels/c.txt"_s), "0 0.750000 0.750000 0.500000 0.500000\n");
}

TEST(YoloFormat, ReportsEachMalformedLineWithFileAndLine)
{
    QTemporaryDir dir;
    const QString root = dir.path();
    writeText(root + u"/classes.txt"_s, "a\nb\n");
    makeImage(root + u"/images/x.jpg"_s, 100, 50);
    writeText(root + u"/labels/x.txt"_s,
              "0 0.5 0.5 0.2 0.2\n"             // 1: valid box
              "0 0.5 0.5\n"                     // 2: too few numbers
              "5 0.5 0.5 0.1 0.1\n"             // 3: class out of range
              "0 1.5 0.5 0.1 0.1\n"             // 4: outside [0, 1]
              "0 abc 0.5 0.1 0.1\n"             // 5: not a number
              "\n"                              // 6: blank, fine
              "1 0.1 0.1 0.2 0.2 0.3 0.1\r\n"   // 7: valid polygon, CRLF
              "1 0.1 0.1 0.2 0.2 0.3 0.1 0.4\n" // 8: even count
              "x 0.5 0.5 0.1 0.1\n"             // 9: class not a number
              "0 0.95 0.5 0.2 0.1\n");          // 10: box reaches past the edge
    writeText(root + u"/labels/orphan.txt"_s, "0 0.5 0.5 0.1 0.1\n");

    const Result<FormatReadResult> read = YoloFormat().read(root);
    ASSERT_TRUE(succeeds(read));
    for (int line : {2, 3, 4, 5, 8, 9, 10})
        EXPECT_TRUE(hasProblemAt(*read, u"labels/x.txt:%1"_s.arg(line)));
    EXPECT_TRUE(hasProblemAt(*read, u"labels/orphan.txt"_s));
    EXPECT_EQ(read->problems.size(), 8);

    ASSERT_EQ(read->items.size(), 1); // the orphan has no image to attach to
    const ImportedItem &item = read->items[0];
    EXPECT_EQ(item.width, 100);
    EXPECT_EQ(item.height, 50);
    ASSERT_EQ(item.annotations.size(), 2);
    EXPECT_EQ(std::get<Box>(item.annotations[0].shape), (Box{40, 20, 20, 10}));
    EXPECT_EQ(item.annotations[1].className, u"b"_s);
    const Polygon polygon = std::get<Polygon>(item.annotations[1].shape);
    ASSERT_EQ(polygon.points.size(), 3);
    EXPECT_NEAR(polygon.points[2].x(), 30, 1e-9);
    EXPECT_NEAR(polygon.points[2].y(), 5, 1e-9);
}

TEST(YoloFormat, ReadsDataYamlNamesAsListOrMapping)
{
    for (const QByteArray &yaml :
         {QByteArray("path: .\nnames: [cat, 'hot dog', \"x\"]  # comment\nnc: 3\n"),
          QByteArray("path: .\nnames:\n  0: cat\n  1: 'hot dog'\n  2: \"x\" # c\nnc: 3\n")}) {
        QTemporaryDir dir;
        writeText(dir.filePath(u"data.yaml"_s), yaml);
        makeImage(dir.filePath(u"images/p.png"_s), 10, 10);
        writeText(dir.filePath(u"labels/p.txt"_s), "1 0.5 0.5 1 1\n2 0.5 0.5 0.2 0.2\n");
        const Result<FormatReadResult> read = YoloFormat().read(dir.path());
        ASSERT_TRUE(succeeds(read)) << yaml.toStdString();
        EXPECT_EQ(read->classes, (QStringList{u"cat"_s, u"hot dog"_s, u"x"_s}));
        ASSERT_EQ(read->items.size(), 1);
        ASSERT_EQ(read->items[0].annotations.size(), 2);
        EXPECT_EQ(read->items[0].annotations[0].className, u"hot dog"_s);
        EXPECT_EQ(read->items[0].annotations[1].className, u"x"_s);
        EXPECT_TRUE(read->problems.isEmpty());
    }
}

TEST(YoloFormat, RefusesOtherDataYamlShapesWithLine)
{
    for (const auto &[yaml, line] : {std::pair{QByteArray("nc: 2\nnames: cat\n"), 2},
                                     std::pair{QByteArray("names:\n  0: a\n  - b\n"), 3},
                                     std::pair{QByteArray("names: [a, b\nnc: 2\n"), 1}}) {
        QTemporaryDir dir;
        writeText(dir.filePath(u"data.yaml"_s), yaml);
        QDir(dir.path()).mkpath(u"labels"_s);
        EXPECT_TRUE(failsMentioning(YoloFormat().read(dir.path()), {u"data.yaml:%1"_s.arg(line)}))
            << yaml.toStdString();
    }
    QTemporaryDir empty;
    EXPECT_TRUE(failsMentioning(YoloFormat().read(empty.path()), {u"classes.txt"_s}));
}

} // namespace
} // namespace fieldmark
