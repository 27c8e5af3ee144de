#include "core/formats/csvformat.h"
#include "core/formats/annotationimport.h"
#include "core/formats/exporter.h"
#include "core/formats/formatregistry.h"
#include "core/import/imageprobe.h"
#include "core/store/projectstore.h"
#include "tests/core/resultassertions.h"
#include "tests/formats/formattestutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

using test::annotation;
using test::failsMentioning;
using test::hasProblemAt;
using test::labelClass;
using test::makeImage;
using test::str;
using test::succeeds;

QString golden(const QString &name)
{
    return QStringLiteral(FIELDMARK_GOLDEN_DIR "/csv/") + name + u'/' + name + u".csv"_s;
}

QString goldenDir(const QString &name)
{
    return QStringLiteral(FIELDMARK_GOLDEN_DIR "/csv/") + name;
}

QStringList classesOf(const ImportedItem &item)
{
    QStringList names;
    for (const ImportedAnnotation &a : item.annotations) {
        EXPECT_TRUE(std::holds_alternative<ClassTag>(a.shape));
        names.append(a.className);
    }
    return names;
}

ExportItem imageItem(qint64 id, const QString &path, QList<Annotation> annotations)
{
    ExportItem e;
    e.item.id = id;
    e.item.kind = ItemKind::Image;
    e.item.path = path;
    e.annotations = std::move(annotations);
    return e;
}

ExportItem textItem(qint64 id, const QString &text, QList<Annotation> annotations)
{
    ExportItem e;
    e.item.id = id;
    e.item.kind = ItemKind::Text;
    e.item.text = text;
    e.item.sourceRef = u"in.csv:%1"_s.arg(id + 1);
    e.annotations = std::move(annotations);
    return e;
}

// Class positions differ from ids and from list order.
ExportData taskData(TaskType type, QList<ExportItem> items, const QString &root = {})
{
    ExportData data;
    data.task.name = u"classes"_s;
    data.task.type = type;
    data.task.classes = {labelClass(7, u"b"_s, 1), labelClass(3, u"a"_s, 0)};
    data.items = std::move(items);
    data.datasetRoot = root;
    return data;
}

QByteArray readBytes(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return "<missing>";
    return file.readAll();
}

TEST(CsvFormat, RegistryFindsCsvByName)
{
    const FormatRegistry registry = FormatRegistry::builtIn();
    const Format *csv = registry.find(u"csv"_s);
    ASSERT_NE(csv, nullptr);
    EXPECT_EQ(csv->displayName(), u"CSV (item, label)"_s);
    const FormatCapabilities caps = csv->capabilities();
    EXPECT_TRUE(caps.canRead && caps.canWrite);
    EXPECT_EQ(caps.tasks,
              (QList<TaskType>{TaskType::ImageClassification, TaskType::ImageMultiLabel,
                               TaskType::TextClassification, TaskType::TextMultiLabel}));
    EXPECT_EQ(csv->fileFilter(), u"CSV (*.csv)"_s);
}

TEST(CsvFormat, ReadsGoldenImagesWithRowsPerLabelAndJoinedLabels)
{
    const Result<FormatReadResult> read = CsvFormat().read(golden(u"images"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    EXPECT_EQ(read->classes, (QStringList{u"cat"_s, u"cute"_s, u"dog"_s}));
    ASSERT_EQ(read->items.size(), 2);
    const QDir dir(goldenDir(u"images"_s));
    const ImportedItem &a = read->items[0];
    EXPECT_EQ(a.path, dir.absoluteFilePath(u"cats/a.png"_s));
    EXPECT_EQ(a.sourceRef, u"images.csv:2"_s);
    EXPECT_EQ(a.width, 4);
    EXPECT_EQ(a.height, 3);
    EXPECT_TRUE(a.text.isEmpty());
    EXPECT_EQ(classesOf(a), (QStringList{u"cat"_s, u"cute"_s})); // the repeated row is one label
    const ImportedItem &b = read->items[1];
    EXPECT_EQ(b.path, dir.absoluteFilePath(u"b.png"_s));
    EXPECT_EQ(b.width, 2);
    EXPECT_EQ(classesOf(b), (QStringList{u"dog"_s, u"cute"_s}));
}

TEST(CsvFormat, ReadsGoldenTextsWithQuotesLineBreaksAndBom)
{
    const Result<FormatReadResult> read = CsvFormat().read(golden(u"texts"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    EXPECT_EQ(read->classes,
              (QStringList{u"positive"_s, u"surprise"_s, u"neutral"_s, u"long"_s, u"negative"_s}));
    ASSERT_EQ(read->items.size(), 4);
    const QString path = QFileInfo(golden(u"texts"_s)).absoluteFilePath();
    EXPECT_EQ(read->items[0].text, u"Great, cheap price."_s);
    EXPECT_EQ(read->items[0].path, path);
    EXPECT_EQ(classesOf(read->items[0]), QStringList{u"positive"_s});
    EXPECT_EQ(read->items[1].text, u"She said \"wow\" \U0001F600"_s);
    EXPECT_EQ(classesOf(read->items[1]), (QStringList{u"positive"_s, u"surprise"_s}));
    EXPECT_EQ(read->items[2].text, u"two\r\nlines"_s);
    EXPECT_EQ(classesOf(read->items[2]), (QStringList{u"neutral"_s, u"long"_s}));
    EXPECT_EQ(read->items[3].text, u"plain text"_s);
    EXPECT_EQ(read->items[3].sourceRef, u"texts.csv:7"_s); // the quoted line break counts
}

TEST(CsvFormat, MalformedRowsAreProblemsNamingFileAndLine)
{
    const Result<FormatReadResult> read = CsvFormat().read(golden(u"malformed"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(hasProblemAt(*read, u"malformed.csv:3"_s)); // three fields
    EXPECT_TRUE(hasProblemAt(*read, u"malformed.csv:4"_s)); // empty label
    EXPECT_TRUE(hasProblemAt(*read, u"malformed.csv:5"_s)); // empty item
    EXPECT_TRUE(hasProblemAt(*read, u"malformed.csv:6"_s)); // only a separator
    EXPECT_EQ(read->problems.size(), 4);
    EXPECT_TRUE(read->problems[0].reason.contains(u"3 fields"_s)) << str(read->problems[0].reason);
    EXPECT_TRUE(read->problems[1].reason.contains(u"label is empty"_s));
    ASSERT_EQ(read->items.size(), 1);
    EXPECT_EQ(read->items[0].text, u"fine text"_s);
}

TEST(CsvFormat, UnclosedQuoteOrWrongHeaderFailsNamingFileAndLine)
{
    EXPECT_TRUE(failsMentioning(CsvFormat().read(golden(u"unclosed"_s)),
                                {u"unclosed.csv:3"_s, u"never closed"_s}));
    EXPECT_TRUE(failsMentioning(CsvFormat().read(golden(u"bad-header"_s)),
                                {u"bad-header.csv:1"_s, u"item,label"_s, u"path,class"_s}));
    QTemporaryDir dir;
    const QString empty = dir.filePath(u"empty.csv"_s);
    QFile file(empty);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.close();
    EXPECT_TRUE(failsMentioning(CsvFormat().read(empty), {u"empty.csv"_s, u"header"_s}));
    EXPECT_TRUE(failsMentioning(CsvFormat().read(dir.filePath(u"none.csv"_s)), {u"none.csv"_s}));
}

TEST(CsvFormat, ImagePathsLeavingTheFolderOrMissingAreRefused)
{
    const Result<FormatReadResult> read = CsvFormat().read(golden(u"escaping"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(hasProblemAt(*read, u"escaping.csv:3"_s)); // ../images/b.png
    EXPECT_TRUE(hasProblemAt(*read, u"escaping.csv:4"_s)); // /etc/hostname.png
    EXPECT_TRUE(hasProblemAt(*read, u"escaping.csv:5"_s)); // inside, but missing
    EXPECT_EQ(read->problems.size(), 3);
    EXPECT_TRUE(read->problems[0].reason.contains(u"outside"_s)) << str(read->problems[0].reason);
    EXPECT_TRUE(read->problems[2].reason.contains(u"no such image"_s));
    ASSERT_EQ(read->items.size(), 1);
    EXPECT_TRUE(read->items[0].path.endsWith(u"escaping/inside/ok.png"_s));
    EXPECT_EQ(read->items[0].width, 5);
    EXPECT_EQ(read->items[0].height, 1);
}

TEST(CsvFormat, ImageRoundTripWritesRowsPerClassWithRelativePaths)
{
    QTemporaryDir dir;
    const QString root = dir.path();
    const ExportData data = taskData(
        TaskType::ImageMultiLabel,
        {imageItem(1, makeImage(root + u"/img/one, two.png"_s, 6, 4),
                   {annotation(7, ClassTag{}), annotation(3, ClassTag{})}),
         imageItem(2, makeImage(root + u"/three.png"_s, 3, 2), {annotation(7, ClassTag{})})},
        root);
    EXPECT_TRUE(CsvFormat().lossReport(data).isEmpty())
        << str(CsvFormat().lossReport(data).losses.join(u"; "_s));
    const QString path = root + u"/labels.csv"_s;
    ASSERT_TRUE(succeeds(CsvFormat().write(data, path)));
    // Classes by position ("a" is 0), a path with a comma quoted.
    EXPECT_EQ(readBytes(path), "item,label\r\n\"img/one, two.png\",a\r\n\"img/one, two.png\",b\r\n"
                               "three.png,b\r\n");

    const Result<FormatReadResult> read = CsvFormat().read(path);
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    EXPECT_EQ(read->classes, (QStringList{u"a"_s, u"b"_s}));
    ASSERT_EQ(read->items.size(), 2);
    EXPECT_EQ(read->items[0].path, data.items[0].item.path);
    EXPECT_EQ(read->items[0].width, 6);
    EXPECT_EQ(read->items[0].height, 4);
    EXPECT_EQ(classesOf(read->items[0]), (QStringList{u"a"_s, u"b"_s}));
    EXPECT_EQ(read->items[1].path, data.items[1].item.path);
    EXPECT_EQ(classesOf(read->items[1]), QStringList{u"b"_s});

    // Without a dataset folder, paths are relative to the CSV's own folder, as read back.
    ExportData rootless = data;
    rootless.datasetRoot.clear();
    const QString beside = root + u"/img/beside.csv"_s;
    ASSERT_TRUE(succeeds(CsvFormat().write(rootless, beside)));
    EXPECT_EQ(readBytes(beside), (u"item,label\r\n\"one, two.png\",a\r\n\"one, two.png\",b\r\n"_s +
                                  data.items[1].item.path + u",b\r\n"_s)
                                     .toUtf8());
}

TEST(CsvFormat, TextRoundTripKeepsQuotesLineBreaksAndNonBmpCharacters)
{
    const QStringList texts{u"Zoe\u0308 said \"\U0001F40D, really\"\nand left"_s, u" padded "_s,
                            u"\U0001D4B3\U0001D4B4 plain"_s};
    const ExportData data = taskData(TaskType::TextClassification,
                                     {textItem(1, texts[0], {annotation(3, ClassTag{})}),
                                      textItem(2, texts[1], {annotation(7, ClassTag{})}),
                                      textItem(3, texts[2], {annotation(3, ClassTag{})})});
    QTemporaryDir dir;
    const QString path = dir.filePath(u"texts.csv"_s);
    ASSERT_TRUE(succeeds(CsvFormat().write(data, path)));
    EXPECT_EQ(readBytes(path), (u"item,label\r\n\"Zoe\u0308 said \"\"\U0001F40D, really\"\"\nand "
                                u"left\",a\r\n\" padded \",b\r\n\U0001D4B3\U0001D4B4 plain,a\r\n"_s)
                                   .toUtf8());
    const Result<FormatReadResult> read = CsvFormat().read(path);
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    ASSERT_EQ(read->items.size(), 3);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(read->items[i].text, texts[i]);
        EXPECT_EQ(classesOf(read->items[i]), QStringList{i == 1 ? u"b"_s : u"a"_s});
    }
}

TEST(CsvFormat, LossReportCountsUnlabeledItemsSplitNamesPathsAndProvenance)
{
    QTemporaryDir dir;
    ExportData data =
        taskData(TaskType::ImageClassification,
                 {imageItem(1, dir.filePath(u"in.png"_s), {annotation(3, ClassTag{}, 0.7)}),
                  imageItem(2, u"/elsewhere/out.png"_s,
                            {annotation(9, ClassTag{}), annotation(3, Box{0, 0, 2, 2})}),
                  imageItem(3, dir.filePath(u"none.png"_s), {})},
                 dir.path());
    data.task.classes.append(labelClass(9, u"x;y"_s, 2));
    const LossReport report = CsvFormat().lossReport(data);
    ASSERT_EQ(report.losses.size(), 6) << str(report.losses.join(u"; "_s));
    EXPECT_TRUE(report.losses[0].startsWith(u"1 items without a class are not written"_s));
    EXPECT_TRUE(report.losses[1].startsWith(u"1 labels are of classes whose names hold ';'"_s));
    EXPECT_TRUE(report.losses[2].startsWith(u"1 images lie outside the dataset folder"_s));
    EXPECT_EQ(report.losses[3],
              u"1 box labels are not written: CSV carries whole-item classes only"_s);
    EXPECT_EQ(report.losses[4], u"confidences are not kept: 1 labels have one"_s);
    EXPECT_TRUE(report.losses[5].startsWith(u"label provenance"_s));
}

TEST(CsvFormat, CancelledWriteLeavesNoFileAndCancelledReadStops)
{
    const ExportData data = taskData(TaskType::TextClassification,
                                     {textItem(1, u"one"_s, {annotation(3, ClassTag{})}),
                                      textItem(2, u"two"_s, {annotation(7, ClassTag{})})});
    const Progress cancelAtSecond([](qint64 done, qint64) { return done < 1; });
    QTemporaryDir dir;
    const QString path = dir.filePath(u"out.csv"_s);
    const Result<void> written = CsvFormat().write(data, path, cancelAtSecond);
    ASSERT_FALSE(written.ok());
    EXPECT_TRUE(isFormatCancelled(written.error()));
    EXPECT_TRUE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());

    const Result<FormatReadResult> read = CsvFormat().read(golden(u"texts"_s), cancelAtSecond);
    ASSERT_FALSE(read.ok());
    EXPECT_TRUE(isFormatCancelled(read.error()));
}

TEST(CsvFormat, UnknownClassFailsAndKeepsTheOldFile)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"out.csv"_s);
    ExportData data = taskData(TaskType::TextClassification,
                               {textItem(1, u"one"_s, {annotation(3, ClassTag{})})});
    ASSERT_TRUE(succeeds(CsvFormat().write(data, path)));
    data.items[0].annotations = {annotation(99, ClassTag{})};
    EXPECT_TRUE(failsMentioning(CsvFormat().write(data, path), {u"99"_s, u"in.csv:2"_s}));
    EXPECT_EQ(readBytes(path), "item,label\r\none,a\r\n");
    EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{u"out.csv"_s});
}

TEST(CsvFormat, ExportFromAProjectImportsBackOntoTheSameImages)
{
    QTemporaryDir dir;
    auto store = ProjectStore::create(dir.filePath(u"project"_s));
    ASSERT_TRUE(succeeds(store));
    const Result<LabelTask> task =
        (*store)->addTask(u"tags"_s, TaskType::ImageMultiLabel, {u"cat"_s, u"cute"_s});
    ASSERT_TRUE(succeeds(task));
    QList<Item> items;
    for (const QString &name : {u"data/a.png"_s, u"data/sub/b.png"_s}) {
        const QString path = makeImage(dir.filePath(name), 4 + int(items.size()), 3);
        const ImageProbe probe = probeImageFile(path);
        ASSERT_TRUE(probe.ok) << str(probe.error);
        Item item;
        item.path = path;
        item.hash = probe.hash;
        item.fileSize = probe.fileSize;
        item.width = probe.width;
        item.height = probe.height;
        items.append(item);
    }
    const auto added = (*store)->addItems(items);
    ASSERT_TRUE(succeeds(added));
    ASSERT_EQ(added->addedIds.size(), 2);
    QList<Annotation> annotations;
    for (const auto &[item, classIndex] : {std::pair{0, 0}, std::pair{0, 1}, std::pair{1, 1}}) {
        Annotation a;
        a.itemId = added->addedIds[item];
        a.taskId = task->id;
        a.classId = task->classes[classIndex].id;
        a.shape = ClassTag{};
        annotations.append(a);
    }
    ASSERT_TRUE(succeeds((*store)->addAnnotations(annotations)));

    // Written beside the images, the paths are relative and read back onto the same items.
    const QString out = dir.filePath(u"data/tags.csv"_s);
    const CsvFormat format; // the plan points at it
    ExportOptions options;
    options.taskId = task->id;
    const Result<ExportPlan> exportPlan = planExport(**store, format, out, options);
    ASSERT_TRUE(succeeds(exportPlan));
    EXPECT_TRUE(exportPlan->loss.isEmpty()) << str(exportPlan->loss.losses.join(u"; "_s));
    ASSERT_TRUE(succeeds(runExport(*exportPlan)));
    EXPECT_EQ(readBytes(out), "item,label\r\na.png,cat\r\na.png,cute\r\nsub/b.png,cute\r\n");

    AnnotationImportOptions importOptions;
    importOptions.taskId = task->id;
    const Result<AnnotationImportPlan> importPlan =
        planAnnotationImport(**store, format, out, importOptions);
    ASSERT_TRUE(succeeds(importPlan));
    EXPECT_TRUE(importPlan->problems.isEmpty()) << str(importPlan->problems.value(0).reason);
    EXPECT_EQ(importPlan->matchedItems, 2);
    EXPECT_EQ(importPlan->missingItems, 0);
    EXPECT_EQ(importPlan->annotations, 0);
    EXPECT_EQ(importPlan->alreadyPresent, 3);
}

} // namespace
} // namespace fieldmark
