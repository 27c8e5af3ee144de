#include "core/formats/formatregistry.h"
#include "core/formats/pascalvocformat.h"
#include "tests/core/resultassertions.h"
#include "tests/formats/formattestutil.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>

#include <gtest/gtest.h>

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
using test::readText;
using test::str;
using test::succeeds;

QString golden(const QString &name)
{
    return QStringLiteral(FIELDMARK_GOLDEN_DIR "/voc/") + name;
}

Annotation withAttributes(Annotation a, const QJsonObject &attributes)
{
    a.attributes = attributes;
    return a;
}

// Images inside `root`, so the reader accepts their absolute <path>; boxes on whole and half
// pixels, one touching the far edges.
ExportData sampleData(const QString &root)
{
    ExportData data;
    data.task.name = u"street"_s;
    data.task.type = TaskType::Boxes;
    data.task.classes = {labelClass(30, u"tree"_s, 2), labelClass(10, u"car"_s, 0)};
    data.datasetRoot = root;
    const QJsonObject flags{{u"difficult"_s, true}, {u"pose"_s, u"Frontal"_s}};
    data.items = {
        exportItem(1, root + u"/img/one.png"_s, 20, 10,
                   {withAttributes(annotation(10, Box{1, 2, 3, 4}), flags),
                    annotation(30, Box{0, 0, 20, 10}), annotation(10, Box{2.5, 0.5, 7, 1.25})}),
        exportItem(2, root + u"/img/empty.png"_s, 4, 4, {})};
    return data;
}

TEST(VocFormat, RegistryFindsVocByName)
{
    const FormatRegistry registry = FormatRegistry::builtIn();
    const Format *voc = registry.find(u"voc"_s);
    ASSERT_NE(voc, nullptr);
    EXPECT_EQ(voc->displayName(), u"Pascal VOC XML"_s);
    EXPECT_TRUE(voc->fileFilter().isEmpty());
    const FormatCapabilities caps = voc->capabilities();
    EXPECT_TRUE(caps.canRead && caps.canWrite && caps.writesFolder);
    EXPECT_EQ(caps.tasks, QList<TaskType>{TaskType::Boxes});
}

TEST(VocFormat, ReadsGoldenDevkitWithOneBasedBoxesAndFlags)
{
    const Result<FormatReadResult> read = PascalVocFormat().read(golden(u"devkit"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(noProblems(*read));
    EXPECT_EQ(read->classes, (QStringList{u"person"_s, u"dog"_s})); // not the <part> "head"
    ASSERT_EQ(read->items.size(), 2);
    const QDir images(golden(u"devkit/JPEGImages"_s));

    const ImportedItem &first = read->items[0];
    EXPECT_EQ(first.path, images.absoluteFilePath(u"2007_000027.png"_s));
    EXPECT_EQ(first.sourceRef, u"Annotations/2007_000027.xml"_s);
    EXPECT_EQ(first.width, 486); // from <size>, not the image (8x6)
    EXPECT_EQ(first.height, 500);
    ASSERT_EQ(first.annotations.size(), 2);
    EXPECT_EQ(first.annotations[0].className, u"person"_s);
    // xmin 174..xmax 349 includes both end pixels: x 173, width 176.
    EXPECT_EQ(std::get<Box>(first.annotations[0].shape), (Box{173, 100, 176, 251}));
    EXPECT_EQ(first.annotations[0].attributes,
              (QJsonObject{{u"difficult"_s, true}, {u"pose"_s, u"Left"_s}}));
    EXPECT_EQ(std::get<Box>(first.annotations[1].shape), (Box{0, 9.5, 486, 490.5}));
    EXPECT_EQ(first.annotations[1].attributes,
              (QJsonObject{{u"truncated"_s, true}, {u"occluded"_s, true}}));

    const ImportedItem &negative = read->items[1];
    EXPECT_EQ(negative.path, images.absoluteFilePath(u"2007_000032.png"_s));
    EXPECT_EQ(negative.width, 7); // no <size>: from the image header
    EXPECT_EQ(negative.height, 5);
    EXPECT_TRUE(negative.annotations.isEmpty());
}

TEST(VocFormat, ReadsAFlatFolderAndFindsTheImageBesideTheXml)
{
    const Result<FormatReadResult> read = PascalVocFormat().read(golden(u"flat"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(noProblems(*read));
    ASSERT_EQ(read->items.size(), 1);
    // <path> names another machine's file; <filename> beside the XML wins.
    EXPECT_EQ(read->items[0].path, QDir(golden(u"flat"_s)).absoluteFilePath(u"street.png"_s));
    ASSERT_EQ(read->items[0].annotations.size(), 1);
    EXPECT_EQ(std::get<Box>(read->items[0].annotations[0].shape), (Box{1, 1, 2, 3}));
    EXPECT_TRUE(read->items[0].annotations[0].attributes.isEmpty());
}

TEST(VocFormat, PointingAtTheAnnotationsFolderUsesItsParentAsTheDataset)
{
    const Result<FormatReadResult> read = PascalVocFormat().read(golden(u"devkit/Annotations"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(noProblems(*read));
    EXPECT_EQ(read->items.size(), 2);
}

TEST(VocFormat, ReportsEachMalformedKindWithFileAndLine)
{
    const Result<FormatReadResult> read = PascalVocFormat().read(golden(u"malformed"_s));
    ASSERT_TRUE(succeeds(read));
    const QString objects = u"Annotations/objects.xml:"_s;
    EXPECT_TRUE(hasProblemAt(*read, objects + u"4"_s));  // no <name>
    EXPECT_TRUE(hasProblemAt(*read, objects + u"7"_s));  // no <bndbox>
    EXPECT_TRUE(hasProblemAt(*read, objects + u"13"_s)); // xmin "one"
    EXPECT_TRUE(hasProblemAt(*read, objects + u"18"_s)); // inverted
    EXPECT_TRUE(hasProblemAt(*read, objects + u"22"_s)); // xmin 0: before pixel 1
    EXPECT_TRUE(hasProblemAt(*read, objects + u"26"_s)); // xmax 5 on a 4-pixel image
    EXPECT_TRUE(hasProblemAt(*read, objects + u"30"_s)); // difficult "maybe"
    EXPECT_TRUE(hasProblemAt(*read, objects + u"35"_s)); // no <ymax>
    EXPECT_TRUE(hasProblemAt(*read, u"Annotations/missing-image.xml:2"_s));
    EXPECT_TRUE(hasProblemAt(*read, u"Annotations/not-voc.xml:2"_s));
    bool broken = false;
    for (const FormatProblem &problem : read->problems) {
        // file:line:column from QXmlStreamReader: the mismatched </objekt> is on line 5.
        if (problem.where.startsWith(u"Annotations/broken.xml:5:"_s)) {
            broken = true;
            EXPECT_TRUE(problem.reason.contains(u"not well-formed XML"_s)) << str(problem.reason);
        }
    }
    EXPECT_TRUE(broken);
    EXPECT_EQ(read->problems.size(), 11);

    // The rest still reads: the one whole box of objects.xml.
    ASSERT_EQ(read->items.size(), 1);
    ASSERT_EQ(read->items[0].annotations.size(), 1);
    EXPECT_EQ(read->items[0].annotations[0].className, u"whole"_s);
    EXPECT_EQ(std::get<Box>(read->items[0].annotations[0].shape), (Box{0, 0, 4, 4}));
    EXPECT_EQ(read->classes, QStringList{u"whole"_s});
}

TEST(VocFormat, ImagesOutsideTheDatasetFolderAreRefused)
{
    const Result<FormatReadResult> read = PascalVocFormat().read(golden(u"escaping"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(hasProblemAt(*read, u"Annotations/climbs.xml:2"_s));   // ../../outside.png
    EXPECT_TRUE(hasProblemAt(*read, u"Annotations/absolute.xml:3"_s)); // <path>/etc/passwd
    for (const FormatProblem &problem : read->problems)
        EXPECT_TRUE(problem.reason.contains(u"outside the dataset folder"_s))
            << str(problem.reason);
    EXPECT_EQ(read->problems.size(), 2);
    ASSERT_EQ(read->items.size(), 1);
    EXPECT_EQ(read->items[0].path,
              QDir(golden(u"escaping/JPEGImages"_s)).absoluteFilePath(u"ok.png"_s));
}

TEST(VocFormat, WritesTheDevkitLayoutWithOneBasedBoxes)
{
    QTemporaryDir dir;
    const ExportData data = sampleData(dir.path());
    ASSERT_TRUE(succeeds(PascalVocFormat().write(data, dir.path())));

    const QByteArray one = readText(dir.filePath(u"Annotations/one.xml"_s));
    for (const QByteArray &expected :
         {QByteArray("<folder>img</folder>"), QByteArray("<filename>one.png</filename>"),
          QByteArray("<path>" + data.items[0].item.path.toUtf8() + "</path>"),
          QByteArray("<width>20</width>"), QByteArray("<height>10</height>"),
          QByteArray("<depth>3</depth>"), QByteArray("<segmented>0</segmented>"),
          QByteArray("<name>car</name>\n        <pose>Frontal</pose>\n        "
                     "<truncated>0</truncated>\n        <difficult>1</difficult>\n        "
                     "<bndbox>\n            <xmin>2</xmin>\n            <ymin>3</ymin>\n"
                     "            <xmax>4</xmax>\n            <ymax>6</ymax>"),
          QByteArray("<name>tree</name>\n        <pose>Unspecified</pose>"),
          QByteArray("<xmin>1</xmin>\n            <ymin>1</ymin>\n            "
                     "<xmax>20</xmax>\n            <ymax>10</ymax>"),
          QByteArray("<xmin>3.5</xmin>\n            <ymin>1.5</ymin>\n            "
                     "<xmax>9.5</xmax>\n            <ymax>1.75</ymax>")})
        EXPECT_TRUE(one.contains(expected)) << expected.toStdString() << "\nin\n"
                                            << one.toStdString();
    EXPECT_FALSE(one.contains("<occluded>")); // written only where it is known
    EXPECT_EQ(one.count("<object>"), 3);

    // The negative example still gets its file.
    const QByteArray empty = readText(dir.filePath(u"Annotations/empty.xml"_s));
    EXPECT_TRUE(empty.contains("<filename>empty.png</filename>")) << empty.toStdString();
    EXPECT_FALSE(empty.contains("<object>"));
    EXPECT_EQ(readText(dir.filePath(u"ImageSets/Main/default.txt"_s)), "one\nempty\n");
}

TEST(VocFormat, RoundTripKeepsBoxesExactlyAndAttributes)
{
    QTemporaryDir dir;
    ExportData data = sampleData(dir.path());
    data.items[0].annotations[1].attributes = {{u"truncated"_s, true}, {u"occluded"_s, true}};
    ASSERT_TRUE(succeeds(PascalVocFormat().write(data, dir.path())));
    const Result<FormatReadResult> read = PascalVocFormat().read(dir.path());
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(noProblems(*read));
    EXPECT_EQ(read->classes, (QStringList{u"car"_s, u"tree"_s}));
    ASSERT_EQ(read->items.size(), 2);
    // Files are read in name order: empty.xml, one.xml.
    EXPECT_EQ(read->items[0].path, data.items[1].item.path);
    EXPECT_TRUE(read->items[0].annotations.isEmpty());
    const ImportedItem &one = read->items[1];
    EXPECT_EQ(one.path, data.items[0].item.path);
    EXPECT_EQ(one.width, 20);
    EXPECT_EQ(one.height, 10);
    ASSERT_EQ(one.annotations.size(), 3);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(one.annotations[i].shape, data.items[0].annotations[i].shape) << i;
        EXPECT_EQ(one.annotations[i].attributes, data.items[0].annotations[i].attributes) << i;
        EXPECT_EQ(one.annotations[i].className, i == 1 ? u"tree"_s : u"car"_s);
    }
}

TEST(VocFormat, PolygonsAndMasksAreWrittenAsTheirBoundingBoxes)
{
    QTemporaryDir dir;
    ExportData data;
    data.task.classes = {labelClass(1, u"a"_s, 0)};
    const Polygon triangle{{QPointF(2, 1), QPointF(18, 1), QPointF(18, 9)}};
    data.items = {exportItem(1, dir.filePath(u"x.png"_s), 20, 10,
                             {annotation(1, triangle), annotation(1, Mask{lMask()})})};
    ASSERT_TRUE(succeeds(PascalVocFormat().write(data, dir.path())));
    const Result<FormatReadResult> read = PascalVocFormat().read(dir.path());
    ASSERT_TRUE(succeeds(read));
    ASSERT_EQ(read->items.size(), 1);
    ASSERT_EQ(read->items[0].annotations.size(), 2);
    EXPECT_EQ(std::get<Box>(read->items[0].annotations[0].shape), (Box{2, 1, 16, 8}));
    // The L covers pixels (5..7, 2..5).
    EXPECT_EQ(std::get<Box>(read->items[0].annotations[1].shape), (Box{5, 2, 3, 4}));
}

TEST(VocFormat, SharedBaseNamesGetDistinctFiles)
{
    QTemporaryDir dir;
    ExportData data;
    data.task.classes = {labelClass(1, u"a"_s, 0)};
    data.items = {
        exportItem(7, dir.filePath(u"a/x.png"_s), 10, 10, {annotation(1, Box{0, 0, 5, 5})}),
        exportItem(9, dir.filePath(u"b/x.png"_s), 10, 10, {})};
    ASSERT_TRUE(succeeds(PascalVocFormat().write(data, dir.path())));
    EXPECT_TRUE(readText(dir.filePath(u"Annotations/x_7.xml"_s)).contains("<xmax>5</xmax>"));
    EXPECT_FALSE(readText(dir.filePath(u"Annotations/x_9.xml"_s)).contains("<object>"));
    EXPECT_FALSE(QFile::exists(dir.filePath(u"Annotations/x.xml"_s)));
    EXPECT_EQ(readText(dir.filePath(u"ImageSets/Main/default.txt"_s)), "x_7\nx_9\n");
    // Both images come back, each from its own absolute <path>.
    const Result<FormatReadResult> read = PascalVocFormat().read(dir.path());
    ASSERT_TRUE(succeeds(read));
    ASSERT_EQ(read->items.size(), 2);
    EXPECT_EQ(read->items[0].path, data.items[0].item.path);
    EXPECT_EQ(read->items[1].path, data.items[1].item.path);
}

TEST(VocFormat, LossReportCountsWhatVocCannotHold)
{
    QTemporaryDir dir;
    ExportData data;
    data.task.classes = {labelClass(1, u"a"_s, 0)};
    const Polygon triangle{{QPointF(2, 1), QPointF(8, 1), QPointF(8, 9)}};
    Annotation grouped = annotation(1, Box{0, 0, 2, 2});
    grouped.attributes = {{u"group_id"_s, 4}, {u"difficult"_s, true}};
    data.items = {exportItem(1, dir.filePath(u"x.png"_s), 10, 10,
                             {annotation(1, triangle), annotation(1, triangle, 0.5),
                              annotation(1, Mask{lMask()}), annotation(1, ClassTag{}),
                              annotation(1, Span{0, 2}), annotation(1, Box{8, 8, 4, 4}), grouped})};
    const LossReport report = PascalVocFormat().lossReport(data);
    const QString all = report.losses.join(u'\n');
    for (const QString &expected :
         {u"2 polygons are written as their bounding boxes"_s,
          u"1 masks are written as their bounding boxes"_s,
          u"confidences are not kept: 1 annotations"_s, u"1 whole-image class labels"_s,
          u"1 text spans"_s, u"1 boxes reach past their image"_s,
          u"1 annotations carry attributes Pascal VOC has no place for (group_id)"_s,
          u"label provenance"_s})
        EXPECT_TRUE(all.contains(expected)) << str(expected) << "\nin\n" << str(all);
    EXPECT_EQ(report.losses.size(), 8) << str(all);

    ExportData plain;
    plain.items = {
        exportItem(1, dir.filePath(u"p.png"_s), 10, 10,
                   {withAttributes(annotation(1, Box{0, 0, 5, 5}), {{u"truncated"_s, true}})})};
    EXPECT_TRUE(PascalVocFormat().lossReport(plain).isEmpty())
        << str(PascalVocFormat().lossReport(plain).losses.join(u'\n'));
}

TEST(VocFormat, CancelledWriteLeavesNoFileAndCancelledReadStops)
{
    QTemporaryDir dir;
    const ExportData data = sampleData(dir.path());
    const QString out = dir.filePath(u"out"_s);
    const Progress stopAtSecond([](qint64 done, qint64) { return done < 1; });
    const Result<void> written = PascalVocFormat().write(data, out, stopAtSecond);
    ASSERT_FALSE(written.ok());
    EXPECT_TRUE(isFormatCancelled(written.error()));
    EXPECT_FALSE(QFileInfo::exists(out));

    ASSERT_TRUE(succeeds(PascalVocFormat().write(data, out)));
    const Result<FormatReadResult> read = PascalVocFormat().read(out, stopAtSecond);
    ASSERT_FALSE(read.ok());
    EXPECT_TRUE(isFormatCancelled(read.error()));
}

TEST(VocFormat, UnknownClassOrSizeFailsAndWritesNothing)
{
    QTemporaryDir dir;
    ExportData data = sampleData(dir.path());
    data.items[1].annotations.append(annotation(999, Box{0, 0, 1, 1}));
    const QString out = dir.filePath(u"out"_s);
    EXPECT_TRUE(failsMentioning(PascalVocFormat().write(data, out), {u"999"_s, u"empty.png"_s}));
    EXPECT_FALSE(QFileInfo::exists(out));

    ExportData unsized;
    unsized.items = {ExportItem{}};
    unsized.items[0].item.path = dir.filePath(u"nowhere.png"_s);
    EXPECT_TRUE(failsMentioning(PascalVocFormat().write(unsized, out), {u"nowhere.png"_s}));
    EXPECT_TRUE(failsMentioning(PascalVocFormat().read(dir.filePath(u"img"_s)), {u".xml"_s}));
}

TEST(VocFormat, ProjectRoundTripThroughExportAndImportKeepsBoxesAndFlags)
{
    QTemporaryDir dir;
    const Annotation hard = withAttributes(annotation(1, Box{3, 4, 10, 12}),
                                           {{u"difficult"_s, true}, {u"pose"_s, u"Left"_s}});
    const QList<QList<Annotation>> perItem{
        {hard, annotation(0, Box{0, 0, 40, 30})}, {}, {annotation(0, Box{1.5, 2.5, 3, 4})}};
    const Result<test::PipelineResult> result = exportAndImport(
        dir.path(), PascalVocFormat(), TaskType::Boxes, {u"person"_s, u"car"_s}, perItem);
    ASSERT_TRUE(succeeds(result));
    EXPECT_TRUE(result->problems.isEmpty()) << str(result->problems.value(0).reason);
    // The three images share the name img.png; each keeps its own boxes.
    const QList<Annotation> &back = result->annotations;
    ASSERT_EQ(back.size(), 3);
    EXPECT_EQ(back[0].shape, hard.shape);
    EXPECT_EQ(back[0].attributes, hard.attributes);
    EXPECT_EQ(back[1].shape, perItem[0][1].shape);
    EXPECT_TRUE(back[1].attributes.isEmpty());
    EXPECT_NE(back[0].classId, back[1].classId);
    EXPECT_EQ(back[2].shape, perItem[2][0].shape);
    EXPECT_NE(back[2].itemId, back[0].itemId);
}

} // namespace
} // namespace fieldmark
