#include "core/formats/labelmapformat.h"
#include "core/formats/formatregistry.h"
#include "core/formats/labelmap.h"
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
using test::failsMentioning;
using test::labelClass;
using test::makeImage;
using test::str;
using test::succeeds;

QString golden(const QString &name)
{
    return QStringLiteral(FIELDMARK_GOLDEN_DIR "/labelmap/") + name;
}

ExportItem exportItem(const QString &path, int width, int height, QList<Annotation> annotations)
{
    ExportItem e;
    e.item.path = makeImage(path, width, height);
    e.item.width = width;
    e.item.height = height;
    e.annotations = std::move(annotations);
    return e;
}

QByteArray readText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return "<missing>";
    return file.readAll();
}

// A mask of the pixels listed, placed in its item.
Mask pixels(std::initializer_list<QPoint> points)
{
    QRect bounds;
    for (const QPoint &p : points)
        bounds |= QRect(p, QSize(1, 1));
    cv::Mat mat = cv::Mat::zeros(bounds.height(), bounds.width(), CV_8UC1);
    for (const QPoint &p : points)
        mat.at<uchar>(p.y() - bounds.y(), p.x() - bounds.x()) = 255;
    return Mask{RleMask::fromMat(mat, bounds.topLeft())};
}

// Classes whose positions differ from their list order and ids; position 1 is a gap.
ExportData sampleData(const QString &root)
{
    ExportData data;
    data.task.name = u"streets"_s;
    data.task.type = TaskType::Segmentation;
    data.task.classes = {labelClass(30, u"tree"_s, 2), labelClass(10, u"car"_s, 0)};
    data.task.classes[0].color = QColor(0, 128, 0);
    data.task.classes[1].color = QColor(128, 0, 0);
    data.datasetRoot = root;
    data.items = {exportItem(root + u"/img/one.png"_s, 6, 4,
                             {annotation(10, pixels({{0, 0}, {1, 0}, {1, 1}}), 0.9),
                              annotation(30, pixels({{5, 3}, {4, 3}}))}),
                  exportItem(root + u"/two.jpg"_s, 3, 3, {annotation(30, pixels({{1, 1}}))}),
                  exportItem(root + u"/empty.png"_s, 2, 2, {})};
    return data;
}

testing::AssertionResult hasProblemAt(const FormatReadResult &result, const QString &where,
                                      const QStringList &words = {})
{
    for (const FormatProblem &problem : result.problems) {
        if (problem.where != where)
            continue;
        for (const QString &word : words) {
            if (!problem.reason.contains(word))
                return testing::AssertionFailure()
                       << str(problem.where) << ": \"" << str(problem.reason) << "\" lacks "
                       << str(word);
        }
        return testing::AssertionSuccess() << str(problem.where) << ": " << str(problem.reason);
    }
    testing::AssertionResult failure = testing::AssertionFailure();
    failure << "no problem at " << str(where) << "; problems:";
    for (const FormatProblem &problem : result.problems)
        failure << "\n  " << str(problem.where) << ": " << str(problem.reason);
    return failure;
}

TEST(LabelMapFormat, RegistryFindsItByName)
{
    const FormatRegistry registry = FormatRegistry::builtIn();
    const Format *format = registry.find(u"labelmap"_s);
    ASSERT_NE(format, nullptr);
    EXPECT_EQ(format->displayName(), u"PNG label maps"_s);
    const FormatCapabilities caps = format->capabilities();
    EXPECT_TRUE(caps.canRead && caps.canWrite && caps.writesFolder);
    EXPECT_EQ(caps.tasks, QList<TaskType>{TaskType::Segmentation});
}

TEST(LabelMapFormat, ReadsGoldenVocFolderByIndexAndByColour)
{
    const Result<FormatReadResult> read = LabelMapFormat().read(golden(u"voc"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    EXPECT_EQ(read->classes, (QStringList{u"aeroplane"_s, u"bicycle"_s}));
    ASSERT_EQ(read->items.size(), 2);
    const QDir dir(golden(u"voc"_s));

    // Indexed, with Pascal VOC's 255 "void" border reading as background.
    const ImportedItem &a = read->items[0];
    EXPECT_EQ(a.path, dir.absoluteFilePath(u"images/a.png"_s));
    EXPECT_EQ(a.sourceRef, u"labels/a.png"_s);
    EXPECT_EQ(a.width, 4);
    ASSERT_EQ(a.annotations.size(), 2);
    EXPECT_EQ(a.annotations[0].className, u"aeroplane"_s);
    EXPECT_EQ(std::get<Mask>(a.annotations[0].shape), pixels({{1, 0}, {2, 0}, {1, 1}}));
    EXPECT_EQ(a.annotations[1].className, u"bicycle"_s);
    EXPECT_EQ(std::get<Mask>(a.annotations[1].shape), pixels({{3, 1}, {2, 2}, {3, 2}}));
    EXPECT_FALSE(a.annotations[0].confidence.has_value());

    // RGB, by colour through labelmap.txt; its image is found through images.txt.
    const ImportedItem &b = read->items[1];
    EXPECT_EQ(b.path, dir.absoluteFilePath(u"photos/b.png"_s));
    ASSERT_EQ(b.annotations.size(), 1);
    EXPECT_EQ(b.annotations[0].className, u"bicycle"_s);
    EXPECT_EQ(std::get<Mask>(b.annotations[0].shape), pixels({{1, 0}, {2, 0}, {2, 1}}));
}

TEST(LabelMapFormat, BadLabelMapsAreProblemsAndTheRestReads)
{
    const QString folder = golden(u"malformed"_s);
    const Result<FormatReadResult> read = LabelMapFormat().read(folder);
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(hasProblemAt(*read, u"labels/color.png"_s, {u"#090909"_s, u"(2, 0)"_s}));
    EXPECT_TRUE(hasProblemAt(*read, u"labels/corrupt.png"_s, {u"not a readable PNG"_s}));
    EXPECT_TRUE(hasProblemAt(*read, u"labels/noimage.png"_s, {u"no image"_s}));
    EXPECT_TRUE(
        hasProblemAt(*read, u"labels/size.png"_s,
                     {u"2x2"_s, u"3x2"_s, QDir(folder).absoluteFilePath(u"images/size.png"_s)}));
    EXPECT_TRUE(hasProblemAt(*read, u"labels/value.png"_s, {u"value 7"_s, u"(2, 1)"_s}));
    EXPECT_EQ(read->problems.size(), 5);
    ASSERT_EQ(read->items.size(), 1);
    EXPECT_TRUE(read->items[0].path.endsWith(u"images/good.png"_s));
    ASSERT_EQ(read->items[0].annotations.size(), 1);
    EXPECT_EQ(std::get<Mask>(read->items[0].annotations[0].shape).rle.area(), 2);
}

TEST(LabelMapFormat, MissingOrBrokenLabelmapTxtFailsNamingIt)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    EXPECT_TRUE(failsMentioning(LabelMapFormat().read(dir.path()), {u"labelmap.txt"_s}));
    QFile file(dir.filePath(u"labelmap.txt"_s));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("# comment\nbackground:0,0,0::\ncar:300,0,0::\n");
    file.close();
    EXPECT_TRUE(failsMentioning(LabelMapFormat().read(dir.path()), {u"labelmap.txt:3"_s}));
}

TEST(LabelMapFormat, WritesIndexedPngsLabelmapTxtAndImagesTxt)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const ExportData data = sampleData(dir.path());
    const QString out = dir.filePath(u"out"_s);
    ASSERT_TRUE(succeeds(LabelMapFormat().write(data, out)));

    // Values are positions + 1, so the gap at position 1 keeps a placeholder line.
    EXPECT_EQ(readText(out + u"/labelmap.txt"_s), "# label:color_rgb:parts:actions\n"
                                                  "background:0,0,0::\n"
                                                  "car:128,0,0::\n"
                                                  "unused_2:0,0,0::\n"
                                                  "tree:0,128,0::\n");
    EXPECT_EQ(readText(out + u"/images.txt"_s),
              (u"labels/img/one.png\t"_s + data.items[0].item.path + u"\nlabels/two.png\t"_s +
               data.items[1].item.path + u"\nlabels/empty.png\t"_s + data.items[2].item.path +
               u'\n')
                  .toUtf8());
    const QImage one(out + u"/labels/img/one.png"_s);
    ASSERT_EQ(one.format(), QImage::Format_Indexed8);
    ASSERT_EQ(one.size(), QSize(6, 4));
    EXPECT_EQ(one.color(1), qRgb(128, 0, 0));
    EXPECT_EQ(one.color(3), qRgb(0, 128, 0));
    EXPECT_EQ(one.pixelIndex(1, 1), 1);
    EXPECT_EQ(one.pixelIndex(4, 3), 3);
    EXPECT_EQ(one.pixelIndex(2, 2), 0);
    EXPECT_EQ(QImage(out + u"/labels/empty.png"_s).size(), QSize(2, 2));
    EXPECT_EQ(QDir(out).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
              (QStringList{u"images.txt"_s, u"labelmap.txt"_s, u"labels"_s}));
}

TEST(LabelMapFormat, RoundTripsMasksPolygonsAndBoxesAsMasks)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    ExportData data = sampleData(dir.path());
    data.items[2].annotations = {
        annotation(10, Box{0, 0, 1, 2}),
        annotation(30, Polygon{{QPointF(1, 0), QPointF(2, 0), QPointF(2, 2), QPointF(1, 2)}})};
    const QString out = dir.filePath(u"out"_s);
    ASSERT_TRUE(succeeds(LabelMapFormat().write(data, out)));
    const Result<FormatReadResult> read = LabelMapFormat().read(out);
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    EXPECT_EQ(read->classes, (QStringList{u"car"_s, u"tree"_s}));
    ASSERT_EQ(read->items.size(), 3);
    // Sorted by label file: empty.png, img/one.png, two.png.
    const ImportedItem &shapes = read->items[0];
    EXPECT_EQ(shapes.path, data.items[2].item.path);
    ASSERT_EQ(shapes.annotations.size(), 2);
    EXPECT_EQ(std::get<Mask>(shapes.annotations[0].shape), pixels({{0, 0}, {0, 1}}));
    EXPECT_EQ(std::get<Mask>(shapes.annotations[1].shape), pixels({{1, 0}, {1, 1}}));
    const ImportedItem &one = read->items[1];
    EXPECT_EQ(one.path, data.items[0].item.path);
    ASSERT_EQ(one.annotations.size(), 2);
    EXPECT_EQ(one.annotations[0].className, u"car"_s);
    EXPECT_EQ(one.annotations[0].shape, data.items[0].annotations[0].shape);
    EXPECT_EQ(one.annotations[1].className, u"tree"_s);
    EXPECT_EQ(one.annotations[1].shape, data.items[0].annotations[1].shape);
    EXPECT_EQ(read->items[2].annotations.size(), 1);
}

TEST(LabelMapFormat, LaterShapesWinAndTheLossReportCountsWhatIsLost)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    ExportData data = sampleData(dir.path());
    data.items = {
        exportItem(dir.filePath(u"a.png"_s), 8, 8,
                   {annotation(10, Box{0, 0, 4, 4}, 0.5), annotation(30, Box{2, 2, 4, 4}),
                    annotation(30, Polygon{{QPointF(6, 6), QPointF(8, 6), QPointF(8, 8)}}),
                    annotation(10, ClassTag{})})};
    data.items[0].annotations[1].provenance.state = LabelState::MachineAccepted;
    const LossReport report = LabelMapFormat().lossReport(data);
    const QString all = report.losses.join(u"\n"_s);
    ASSERT_EQ(report.losses.size(), 7) << str(all);
    EXPECT_TRUE(report.losses[0].startsWith(u"1 polygons are rasterised"_s)) << str(all);
    EXPECT_TRUE(report.losses[1].startsWith(u"2 boxes are rasterised"_s)) << str(all);
    EXPECT_TRUE(report.losses[2].startsWith(u"1 annotations are partly or wholly"_s)) << str(all);
    EXPECT_TRUE(report.losses[2].contains(u"(4 pixels overwritten)"_s)) << str(all);
    EXPECT_TRUE(report.losses[3].startsWith(u"1 annotations are merged"_s)) << str(all);
    EXPECT_TRUE(report.losses[4].startsWith(u"1 annotations are not written"_s)) << str(all);
    EXPECT_TRUE(report.losses[5].startsWith(u"confidences are not kept: 1"_s)) << str(all);
    EXPECT_TRUE(report.losses[6].startsWith(u"label provenance"_s)) << str(all);

    const QString out = dir.filePath(u"out"_s);
    ASSERT_TRUE(succeeds(LabelMapFormat().write(data, out)));
    const QImage map(out + u"/labels/a.png"_s);
    EXPECT_EQ(map.pixelIndex(1, 1), 1);
    EXPECT_EQ(map.pixelIndex(3, 3), 3); // the later box won
    EXPECT_EQ(map.pixelIndex(7, 6), 3); // the polygon: centres right of its diagonal
    EXPECT_EQ(map.pixelIndex(6, 7), 0);
}

TEST(LabelMapFormat, CancelLeavesNothingAndFailureKeepsTheOldLabels)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    ExportData data = sampleData(dir.path());
    const QString out = dir.filePath(u"out"_s);
    int calls = 0;
    const Progress cancelSecond([&calls](qint64, qint64) { return ++calls < 2; });
    const Result<void> cancelled = LabelMapFormat().write(data, out, cancelSecond);
    ASSERT_FALSE(cancelled.ok());
    EXPECT_TRUE(isFormatCancelled(cancelled.error()));
    EXPECT_FALSE(QFileInfo::exists(out));

    ASSERT_TRUE(succeeds(LabelMapFormat().write(data, out)));
    const QByteArray images = readText(out + u"/images.txt"_s);
    data.items[1].annotations.append(annotation(999, Box{0, 0, 1, 1}));
    EXPECT_TRUE(failsMentioning(LabelMapFormat().write(data, out), {u"999"_s, u"two.jpg"_s}));
    EXPECT_EQ(readText(out + u"/images.txt"_s), images);
    EXPECT_EQ(QDir(out).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
              (QStringList{u"images.txt"_s, u"labelmap.txt"_s, u"labels"_s}));
    EXPECT_EQ(QDir(out + u"/labels"_s).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
              (QStringList{u"empty.png"_s, u"img"_s, u"two.png"_s}));
}

TEST(LabelMapFormat, LabelMapNamesFollowTheDatasetAndStayUnique)
{
    QList<ExportItem> items(5);
    items[0].item.path = u"/data/a/x.jpg"_s;
    items[1].item.path = u"/data/a/x.png"_s;
    items[2].item.path = u"/elsewhere/y.tiff"_s;
    items[3].item.path = u"/data/a/X.png"_s;
    items[4].item.path = u"/data/images/z.jpg"_s; // copied into an export's images/
    EXPECT_EQ(labelMapNames(items, u"/data"_s),
              (QStringList{u"a/x.png"_s, u"a/x_2.png"_s, u"y.png"_s, u"a/X_3.png"_s, u"z.png"_s}));
}

TEST(LabelMapFormat, AnExportWithItsImagesInsideIsSelfContained)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString out = dir.filePath(u"out"_s);
    ExportData data = sampleData(out); // as the exporter sets it when it copies the images
    data.items = {exportItem(out + u"/images/p.jpg"_s, 3, 3, {annotation(10, pixels({{0, 0}}))})};
    data.items[0].annotations[0].attributes.insert(u"occluded"_s, true);
    const LossReport report = LabelMapFormat().lossReport(data);
    ASSERT_EQ(report.losses.size(), 1) << str(report.losses.join(u"; "_s));
    EXPECT_TRUE(report.losses[0].contains(u"occluded"_s));

    ASSERT_TRUE(succeeds(LabelMapFormat().write(data, out)));
    EXPECT_EQ(readText(out + u"/images.txt"_s), "labels/p.png\timages/p.jpg\n");
    const QString moved = dir.filePath(u"moved"_s);
    ASSERT_TRUE(QDir().rename(out, moved));
    const Result<FormatReadResult> read = LabelMapFormat().read(moved);
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    ASSERT_EQ(read->items.size(), 1);
    EXPECT_EQ(read->items[0].path, moved + u"/images/p.jpg"_s);
    EXPECT_EQ(read->items[0].annotations.size(), 1);
}

TEST(LabelMapFormat, RgbLabelMapsReadByColourAndPlaceholdersNeverTakeTheBackground)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const ExportData data = sampleData(dir.path());
    const QString out = dir.filePath(u"out"_s);
    ASSERT_TRUE(succeeds(LabelMapFormat().write(data, out)));
    // A tool that re-saves the maps in colour: unused_2 is black like the background.
    const QString one = out + u"/labels/img/one.png"_s;
    ASSERT_TRUE(QImage(one).convertToFormat(QImage::Format_RGB32).save(one));
    ASSERT_NE(QImage(one).format(), QImage::Format_Indexed8);
    const Result<FormatReadResult> read = LabelMapFormat().read(out);
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    EXPECT_EQ(read->classes, (QStringList{u"car"_s, u"tree"_s}));
    ASSERT_EQ(read->items.size(), 3);
    ASSERT_EQ(read->items[1].annotations.size(), 2);
    EXPECT_EQ(read->items[1].annotations[0].shape, data.items[0].annotations[0].shape);
    EXPECT_EQ(read->items[1].annotations[1].shape, data.items[0].annotations[1].shape);
}

TEST(LabelMapFormat, ReadingCanBeCancelled)
{
    int calls = 0;
    const Progress cancelSecond([&calls](qint64, qint64) { return ++calls < 2; });
    const Result<FormatReadResult> read = LabelMapFormat().read(golden(u"voc"_s), cancelSecond);
    ASSERT_FALSE(read.ok());
    EXPECT_TRUE(isFormatCancelled(read.error()));
}

TEST(LabelMapFormat, OverlapsOnALargeImageAreCountedWhereTheShapesLie)
{
    ExportData data = sampleData(u"/nowhere"_s);
    ExportItem large;
    large.item.path = u"/nowhere/large.jpg"_s; // never opened: its size is known
    large.item.width = 40000;
    large.item.height = 30000;
    large.annotations = {
        annotation(10, Box{30000, 20000, 10, 10}), annotation(30, Box{30005, 20005, 10, 10}),
        annotation(10,
                   Polygon{{QPointF(39990, 29990), QPointF(40010, 29990), QPointF(40010, 30010)}})};
    data.items = {large};
    const LossReport report = LabelMapFormat().lossReport(data);
    const QString all = report.losses.join(u"\n"_s);
    EXPECT_TRUE(all.contains(u"1 annotations are partly or wholly painted over by later ones of "
                             u"another class (25 pixels overwritten)"_s))
        << str(all);
    EXPECT_TRUE(all.contains(u"1 shapes reach past their image"_s)) << str(all);
    EXPECT_TRUE(all.contains(u"1 annotations are merged"_s)) << str(all);
}

} // namespace
} // namespace fieldmark
