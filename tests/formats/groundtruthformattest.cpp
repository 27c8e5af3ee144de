#include "core/formats/groundtruthformat.h"
#include "core/formats/formatregistry.h"
#include "core/formats/groundtruthreader.h"
#include "tests/core/resultassertions.h"
#include "tests/formats/formattestutil.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <opencv2/core.hpp>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

using test::annotation;
using test::failsMentioning;
using test::labelClass;
using test::str;
using test::succeeds;

constexpr qint64 kOctober2018 = 1539901093527; // 2018-10-18T22:18:13.527Z

QString golden(const QString &folder, const QString &file)
{
    return QStringLiteral(FIELDMARK_GOLDEN_DIR "/groundtruth/") + folder + u'/' + file;
}

QString golden(const QString &name)
{
    return golden(name, name + u".manifest"_s);
}

// Passes when a problem's place starts with `where` ("file:line", then a JSON path).
testing::AssertionResult hasProblemAt(const FormatReadResult &result, const QString &where)
{
    for (const FormatProblem &problem : result.problems) {
        if (problem.where.startsWith(where))
            return testing::AssertionSuccess() << str(problem.where) << ": " << str(problem.reason);
    }
    testing::AssertionResult failure = testing::AssertionFailure();
    failure << "no problem at " << str(where) << "; problems:";
    for (const FormatProblem &problem : result.problems)
        failure << "\n  " << str(problem.where) << ": " << str(problem.reason);
    return failure;
}

QList<QJsonObject> readLines(const QString &path)
{
    QFile file(path);
    QList<QJsonObject> lines;
    if (!file.open(QIODevice::ReadOnly))
        return lines;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (!line.trimmed().isEmpty())
            lines.append(QJsonDocument::fromJson(line).object());
    }
    return lines;
}

Annotation labelled(qint64 classId, Shape shape, LabelState state,
                    std::optional<double> confidence = {}, qint64 timeMs = kOctober2018)
{
    Annotation a = annotation(classId, std::move(shape), confidence);
    a.provenance.state = state;
    a.provenance.timeMs = timeMs;
    return a;
}

ExportItem imageItem(const QString &path, int width, int height, QList<Annotation> annotations)
{
    ExportItem e;
    e.item.path = path;
    e.item.width = width;
    e.item.height = height;
    e.annotations = std::move(annotations);
    return e;
}

ExportItem textItem(const QString &text, QList<Annotation> annotations)
{
    ExportItem e;
    e.item.kind = ItemKind::Text;
    e.item.text = text;
    e.annotations = std::move(annotations);
    return e;
}

ExportData task(const QString &name, TaskType type, const QString &root)
{
    ExportData data;
    data.task.name = name;
    data.task.type = type;
    // Positions differ from the list order and from the ids, and position 1 is a gap.
    data.task.classes = {labelClass(30, u"tree"_s, 2), labelClass(10, u"car"_s, 0)};
    data.datasetRoot = root;
    return data;
}

TEST(GroundTruthFormat, RegistryFindsItByName)
{
    const FormatRegistry registry = FormatRegistry::builtIn();
    const Format *format = registry.find(u"groundtruth"_s);
    ASSERT_NE(format, nullptr);
    EXPECT_EQ(format->displayName(), u"SageMaker Ground Truth manifest"_s);
    EXPECT_EQ(format->fileFilter(), u"Ground Truth manifest (*.manifest *.jsonl *.json)"_s);
    const FormatCapabilities caps = format->capabilities();
    EXPECT_TRUE(caps.canRead && caps.canWrite);
    EXPECT_FALSE(caps.writesFolder);
    for (TaskType type : {TaskType::ImageClassification, TaskType::ImageMultiLabel, TaskType::Boxes,
                          TaskType::TextClassification, TaskType::TextMultiLabel, TaskType::Spans})
        EXPECT_TRUE(caps.tasks.contains(type)) << str(taskTypeName(type));
}

TEST(GroundTruthFormat, CreationDatesParseEveryDocumentedFormAndWriteGroundTruths)
{
    using groundtruth::parseCreationDate;
    EXPECT_EQ(parseCreationDate(u"2018-10-18T22:18:13.527256"_s), kOctober2018);
    EXPECT_EQ(parseCreationDate(u"2018-10-18T22:18:13.527Z"_s), kOctober2018);
    EXPECT_EQ(parseCreationDate(u"2018-10-19T00:18:13.527+0200"_s), kOctober2018);
    EXPECT_EQ(parseCreationDate(u"2018-10-18T20:18:13.527-02:00"_s), kOctober2018);
    EXPECT_FALSE(parseCreationDate(u"yesterday"_s).has_value());
    EXPECT_FALSE(parseCreationDate(u"2018-13-18T22:18:13"_s).has_value());
    EXPECT_EQ(groundtruth::creationDate(kOctober2018), u"2018-10-18T22:18:13.527000"_s);
}

TEST(GroundTruthFormat, LabelAttributeNamesAreWhatGroundTruthAccepts)
{
    LabelTask t;
    t.name = u"Dogs & toys"_s;
    t.type = TaskType::Boxes;
    EXPECT_EQ(GroundTruthFormat::labelAttributeName(t), u"Dogs-toys"_s);
    t.name = u"city streets-ref"_s;
    EXPECT_EQ(GroundTruthFormat::labelAttributeName(t), u"city-streets"_s);
    t.type = TaskType::Segmentation;
    EXPECT_EQ(GroundTruthFormat::labelAttributeName(t), u"city-streets-ref"_s);
    t.name = u"été"_s;
    t.type = TaskType::Spans;
    EXPECT_EQ(GroundTruthFormat::labelAttributeName(t), u"t"_s);
    t.name = u"  "_s;
    EXPECT_EQ(GroundTruthFormat::labelAttributeName(t), u"label"_s);
}

TEST(GroundTruthFormat, ReadsGoldenImageClassification)
{
    const QString path = golden(u"classification"_s);
    const Result<FormatReadResult> read = GroundTruthFormat().read(path);
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    EXPECT_EQ(read->classes, (QStringList{u"football"_s, u"basketball"_s}));
    ASSERT_EQ(read->items.size(), 3);
    const QDir dir = QFileInfo(path).absoluteDir();

    const ImportedItem &first = read->items[0];
    EXPECT_EQ(first.path, dir.absoluteFilePath(u"image_example.png"_s));
    EXPECT_EQ(first.sourceRef, u"classification.manifest:1"_s);
    ASSERT_EQ(first.annotations.size(), 1);
    const ImportedAnnotation &football = first.annotations[0];
    EXPECT_EQ(football.className, u"football"_s);
    EXPECT_TRUE(std::holds_alternative<ClassTag>(football.shape));
    EXPECT_EQ(football.confidence, 0.0);
    EXPECT_EQ(football.humanAnnotated, true);
    EXPECT_EQ(football.timeMs, kOctober2018);
    EXPECT_EQ(football.jobName, u"identify-sport"_s);
    EXPECT_TRUE(first.extra.isEmpty());

    // An S3 address is found by its file name beside the manifest, and kept for export.
    const ImportedItem &second = read->items[1];
    EXPECT_EQ(second.path, dir.absoluteFilePath(u"image_example.png"_s));
    EXPECT_EQ(second.sourceRef, u"classification.manifest:2"_s);
    EXPECT_EQ(second.extra.value(u"batch"_s).toInt(), 7);
    EXPECT_EQ(second.extra.value(u"source-ref"_s).toString(),
              u"s3://amzn-s3-demo-bucket/photos/image_example.png"_s);
    EXPECT_FALSE(second.extra.contains(u"sport"_s));
    ASSERT_EQ(second.annotations.size(), 1);
    EXPECT_EQ(second.annotations[0].className, u"basketball"_s);
    EXPECT_EQ(second.annotations[0].confidence, 0.87);
    EXPECT_EQ(second.annotations[0].humanAnnotated, false);
    EXPECT_EQ(second.annotations[0].timeMs, 1617662987843);
    EXPECT_EQ(second.annotations[0].jobName, u"labeling-job/identify-sport"_s);

    // An input line: an item without labels; the blank line before it counts.
    const ImportedItem &third = read->items[2];
    EXPECT_EQ(third.path, dir.absoluteFilePath(u"sub/unlabelled.jpg"_s));
    EXPECT_EQ(third.sourceRef, u"classification.manifest:4"_s);
    EXPECT_TRUE(third.annotations.isEmpty());
}

TEST(GroundTruthFormat, ReadsGoldenMultiLabelWithItsConfidenceMap)
{
    const Result<FormatReadResult> read = GroundTruthFormat().read(golden(u"multilabel"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty());
    EXPECT_EQ(read->classes, (QStringList{u"person"_s, u"bicycle"_s, u"clothing"_s}));
    ASSERT_EQ(read->items.size(), 1);
    const QList<ImportedAnnotation> &tags = read->items[0].annotations;
    ASSERT_EQ(tags.size(), 3);
    EXPECT_EQ(tags[0].className, u"bicycle"_s); // in the label's order [1, 0, 8]
    EXPECT_EQ(tags[0].confidence, 0.95);
    EXPECT_EQ(tags[1].className, u"person"_s);
    EXPECT_EQ(tags[1].confidence, 0.77);
    EXPECT_EQ(tags[2].className, u"clothing"_s);
    EXPECT_EQ(tags[2].confidence, 0.2);
    EXPECT_EQ(tags[2].timeMs, 1582839385000);
}

TEST(GroundTruthFormat, ReadsGoldenDetectionAndKeepsOtherJobsAsExtra)
{
    const Result<FormatReadResult> read = GroundTruthFormat().read(golden(u"detection"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty());
    EXPECT_EQ(read->classes, (QStringList{u"dog"_s, u"bone"_s}));
    ASSERT_EQ(read->items.size(), 1);
    const ImportedItem &item = read->items[0];
    EXPECT_EQ(item.width, 500);
    EXPECT_EQ(item.height, 400);
    ASSERT_EQ(item.annotations.size(), 3);
    EXPECT_EQ(item.annotations[0].className, u"dog"_s);
    EXPECT_EQ(std::get<Box>(item.annotations[0].shape), (Box{111, 134, 61, 128}));
    EXPECT_EQ(item.annotations[0].confidence, 0.8);
    EXPECT_EQ(item.annotations[1].className, u"bone"_s);
    EXPECT_EQ(std::get<Box>(item.annotations[2].shape), (Box{20, 20, 30, 30}));
    EXPECT_EQ(item.annotations[2].confidence, 0.9);
    EXPECT_EQ(item.annotations[2].humanAnnotated, true);
    EXPECT_EQ(item.extra.value(u"verify-bounding-box"_s).toString(), u"1"_s);
    EXPECT_TRUE(item.extra.contains(u"verify-bounding-box-metadata"_s));
    EXPECT_FALSE(item.extra.contains(u"bounding-box-metadata"_s));
}

TEST(GroundTruthFormat, ReadsGoldenTextClassificationAndMultiLabel)
{
    const Result<FormatReadResult> single =
        GroundTruthFormat().read(golden(u"text-classification"_s));
    ASSERT_TRUE(succeeds(single));
    EXPECT_TRUE(single->problems.isEmpty());
    ASSERT_EQ(single->items.size(), 1);
    EXPECT_EQ(single->items[0].text, u"The food was delicious"_s);
    EXPECT_EQ(single->items[0].path,
              QFileInfo(golden(u"text-classification"_s)).absoluteFilePath());
    ASSERT_EQ(single->items[0].annotations.size(), 1);
    EXPECT_EQ(single->items[0].annotations[0].className, u"positive"_s);
    EXPECT_EQ(single->items[0].annotations[0].confidence, 0.8);

    const Result<FormatReadResult> multi = GroundTruthFormat().read(golden(u"text-multilabel"_s));
    ASSERT_TRUE(succeeds(multi));
    EXPECT_TRUE(multi->problems.isEmpty());
    EXPECT_EQ(multi->classes, (QStringList{u"sad"_s, u"approving"_s, u"critical"_s}));
    ASSERT_EQ(multi->items.size(), 1);
    ASSERT_EQ(multi->items[0].annotations.size(), 3);
    EXPECT_EQ(multi->items[0].annotations[2].className, u"critical"_s);
    EXPECT_EQ(multi->items[0].annotations[2].confidence, 0.2);
}

TEST(GroundTruthFormat, ReadsGoldenNamedEntitiesInCodePoints)
{
    const Result<FormatReadResult> read = GroundTruthFormat().read(golden(u"ner"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    EXPECT_EQ(read->classes, (QStringList{u"ENGINEER"_s, u"JUDGE"_s, u"CITY"_s}));
    ASSERT_EQ(read->items.size(), 2);
    ASSERT_EQ(read->items[0].annotations.size(), 1);
    EXPECT_EQ(std::get<Span>(read->items[0].annotations[0].shape), (Span{0, 13}));
    EXPECT_EQ(read->items[0].annotations[0].confidence, 0.92);
    // The emoji is one code point (two UTF-16 units): "Paris" is [13, 18).
    ASSERT_EQ(read->items[1].annotations.size(), 1);
    EXPECT_EQ(std::get<Span>(read->items[1].annotations[0].shape), (Span{13, 18}));
    EXPECT_FALSE(read->items[1].annotations[0].confidence.has_value());
    EXPECT_EQ(read->items[1].annotations[0].humanAnnotated, false);
    EXPECT_EQ(read->items[1].annotations[0].timeMs, 1589522476000); // +0200 taken off
}

TEST(GroundTruthFormat, MalformedLinesAreProblemsAndTheRestReads)
{
    const QString path = golden(u"malformed"_s);
    const Result<FormatReadResult> read = GroundTruthFormat().read(path);
    ASSERT_TRUE(succeeds(read));
    // Malformed JSON: file:line:column.
    ASSERT_TRUE(hasProblemAt(*read, path + u":2:"_s));
    EXPECT_TRUE(read->problems[0].reason.startsWith(u"malformed JSON"_s));
    EXPECT_TRUE(read->problems[0].where.contains(QRegularExpression(u":2:\\d+$"_s)));
    EXPECT_TRUE(hasProblemAt(*read, path + u":3"_s)); // neither source-ref nor source
    EXPECT_TRUE(hasProblemAt(*read, path + u":4: boxes.annotations[0].class_id"_s));
    EXPECT_TRUE(hasProblemAt(*read, path + u":5: boxes.annotations[0]"_s)); // past the edge
    EXPECT_TRUE(hasProblemAt(*read, path + u":6: source-ref"_s));           // S3, no copy
    EXPECT_TRUE(hasProblemAt(*read, path + u":7: source-ref"_s));           // escapes
    EXPECT_EQ(read->problems.size(), 6);
    // Lines 1, 4 (its valid box) and 5 (without its box) still read.
    ASSERT_EQ(read->items.size(), 3);
    EXPECT_EQ(read->items[0].annotations.size(), 1);
    EXPECT_EQ(read->items[1].sourceRef, u"malformed.manifest:4"_s);
    EXPECT_EQ(read->items[1].annotations.size(), 1);
    EXPECT_TRUE(read->items[2].annotations.isEmpty());
}

TEST(GroundTruthFormat, EntityOffsetsOutsideTheTextAreProblems)
{
    const QString path = golden(u"ner"_s, u"offsets.manifest"_s);
    const Result<FormatReadResult> read = GroundTruthFormat().read(path);
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(hasProblemAt(*read, path + u":1: ner.annotations.entities[1]"_s));
    ASSERT_EQ(read->problems.size(), 1);
    EXPECT_TRUE(read->problems[0].reason.contains(u"10 characters"_s));
    ASSERT_EQ(read->items.size(), 1);
    ASSERT_EQ(read->items[0].annotations.size(), 1);
    EXPECT_EQ(std::get<Span>(read->items[0].annotations[0].shape), (Span{6, 10}));
}

TEST(GroundTruthFormat, UnreadableFileFailsNamingIt)
{
    EXPECT_TRUE(failsMentioning(GroundTruthFormat().read(u"/nonexistent/x.manifest"_s),
                                {u"/nonexistent/x.manifest"_s}));
}

TEST(GroundTruthFormat, WritesDetectionAsTheGoldenManifestSays)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    ExportData data;
    data.task.name = u"Dogs & toys"_s;
    data.task.type = TaskType::Boxes;
    data.task.classes = {labelClass(20, u"bone"_s, 5), labelClass(10, u"dog"_s, 0)};
    data.datasetRoot = dir.path();
    data.items = {imageItem(dir.filePath(u"example_image.png"_s), 500, 400,
                            {labelled(10, Box{111, 134, 61, 128}, LabelState::Machine, 0.8),
                             labelled(20, Box{161, 250, 30, 30}, LabelState::Machine, 0.9,
                                      kOctober2018 - 1000)}),
                  imageItem(dir.filePath(u"sub/empty.png"_s), 20, 10, {})};
    data.items[1].item.extra.insert(u"batch"_s, 2);
    const QString path = dir.filePath(u"out.manifest"_s);
    ASSERT_TRUE(succeeds(GroundTruthFormat().write(data, path)));
    EXPECT_EQ(readLines(path), readLines(golden(u"written-boxes"_s, u"expected.manifest"_s)));
}

// Writes `sent` beside its images ("/data" stands for the manifest's folder), reads it
// back, and checks every label: class, shape, confidence, whether a person made it, and when.
void expectRoundTrip(const ExportData &sent)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    ExportData data = sent;
    if (!data.datasetRoot.isEmpty())
        data.datasetRoot = dir.path();
    for (ExportItem &e : data.items) {
        if (e.item.path.startsWith(u"/data/"_s))
            e.item.path = dir.filePath(e.item.path.mid(6));
    }
    const QString path = dir.filePath(u"round.manifest"_s);
    ASSERT_TRUE(succeeds(GroundTruthFormat().write(data, path)));
    const Result<FormatReadResult> read = GroundTruthFormat().read(path);
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    ASSERT_EQ(read->items.size(), data.items.size());
    for (qsizetype i = 0; i < data.items.size(); ++i) {
        const Item &item = data.items[i].item;
        const ImportedItem &back = read->items[i];
        if (item.kind == ItemKind::Text)
            EXPECT_EQ(back.text, item.text);
        else
            EXPECT_EQ(str(back.path), str(item.path));
        ASSERT_EQ(back.annotations.size(), data.items[i].annotations.size()) << "item " << i;
        for (qsizetype j = 0; j < back.annotations.size(); ++j) {
            const Annotation &sent = data.items[i].annotations[j];
            const ImportedAnnotation &got = back.annotations[j];
            EXPECT_EQ(got.className, data.task.classById(sent.classId)->name);
            EXPECT_EQ(got.shape, sent.shape);
            EXPECT_EQ(got.confidence, sent.provenance.confidence);
            EXPECT_EQ(got.humanAnnotated, sent.provenance.state != LabelState::Machine);
            EXPECT_EQ(got.timeMs, sent.provenance.timeMs);
        }
    }
}

TEST(GroundTruthFormat, RoundTripsImageClasses)
{
    ExportData data = task(u"kind"_s, TaskType::ImageClassification, u"/data"_s);
    data.items = {
        imageItem(u"/data/a.png"_s, 4, 4, {labelled(30, ClassTag{}, LabelState::Machine, 0.61)}),
        imageItem(u"/data/b.png"_s, 4, 4,
                  {labelled(10, ClassTag{}, LabelState::MachineAccepted, 0.99)}),
        imageItem(u"/data/c.png"_s, 4, 4, {labelled(10, ClassTag{}, LabelState::Human)})};
    expectRoundTrip(data);
}

TEST(GroundTruthFormat, RoundTripsImageMultiLabels)
{
    ExportData data = task(u"kinds"_s, TaskType::ImageMultiLabel, u"/data"_s);
    data.items = {imageItem(u"/data/a.png"_s, 4, 4,
                            {labelled(30, ClassTag{}, LabelState::Machine, 0.61),
                             labelled(10, ClassTag{}, LabelState::Machine, 0.7)}),
                  imageItem(u"/data/b.png"_s, 4, 4, {labelled(10, ClassTag{}, LabelState::Human)})};
    expectRoundTrip(data);
}

TEST(GroundTruthFormat, RoundTripsBoxes)
{
    ExportData data = task(u"things"_s, TaskType::Boxes, u"/data"_s);
    data.items = {imageItem(u"/data/a.png"_s, 40, 30,
                            {labelled(30, Box{1.5, 2, 10, 20}, LabelState::Machine, 0.5),
                             labelled(10, Box{0, 0, 40, 30}, LabelState::Machine, 0.25)}),
                  imageItem(u"/elsewhere/b.png"_s, 8, 8,
                            {labelled(10, Box{1, 1, 2, 2}, LabelState::MachineEdited)}),
                  imageItem(u"/data/c.png"_s, 8, 8, {})};
    expectRoundTrip(data);
}

TEST(GroundTruthFormat, RoundTripsTextClassesAndMultiLabels)
{
    ExportData single = task(u"tone"_s, TaskType::TextClassification, {});
    single.items = {textItem(u"Fine food"_s, {labelled(30, ClassTag{}, LabelState::Machine, 0.8)}),
                    textItem(u"Awful"_s, {labelled(10, ClassTag{}, LabelState::Human)})};
    expectRoundTrip(single);
    ExportData multi = task(u"topics"_s, TaskType::TextMultiLabel, {});
    multi.items = {
        textItem(u"Cars and trees"_s, {labelled(10, ClassTag{}, LabelState::Machine, 0.9),
                                       labelled(30, ClassTag{}, LabelState::Machine, 0.3)})};
    expectRoundTrip(multi);
}

TEST(GroundTruthFormat, RoundTripsSpansInCodePoints)
{
    ExportData data = task(u"entities"_s, TaskType::Spans, {});
    data.items = {textItem(u"Emoji 😀 then Paris and a car"_s,
                           {labelled(30, Span{13, 18}, LabelState::Machine, 0.75),
                            labelled(10, Span{25, 28}, LabelState::Machine, 0.5)}),
                  textItem(u"Nothing here"_s, {}),
                  textItem(u"car"_s, {labelled(10, Span{0, 3}, LabelState::Human)})};
    expectRoundTrip(data);
}

TEST(GroundTruthFormat, ClassIdsAreClassPositions)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    ExportData data = task(u"kinds"_s, TaskType::ImageMultiLabel, dir.path());
    data.items = {imageItem(dir.filePath(u"a.png"_s), 4, 4,
                            {labelled(30, ClassTag{}, LabelState::Human),
                             labelled(10, ClassTag{}, LabelState::Human)})};
    const QString path = dir.filePath(u"out.manifest"_s);
    ASSERT_TRUE(succeeds(GroundTruthFormat().write(data, path)));
    const QList<QJsonObject> lines = readLines(path);
    ASSERT_EQ(lines.size(), 1);
    EXPECT_EQ(lines[0][u"kinds"_s].toArray(), (QJsonArray{2, 0}));
    EXPECT_EQ(lines[0][u"kinds-metadata"_s][u"class-map"_s].toObject(),
              (QJsonObject{{u"2"_s, u"tree"_s}, {u"0"_s, u"car"_s}}));
    EXPECT_EQ(lines[0][u"source-ref"_s].toString(), u"a.png"_s);
}

TEST(GroundTruthFormat, WritesUnlabelledClassItemsAsInputLinesAndKeepsExtra)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    ExportData data = task(u"kind"_s, TaskType::ImageClassification, dir.path());
    data.items = {imageItem(dir.filePath(u"a.png"_s), 4, 4, {})};
    data.items[0].item.extra = QJsonObject{
        {u"batch"_s, u"x"_s}, {u"source-ref"_s, u"s3://bucket/key/a.png"_s}, {u"kind"_s, 5}};
    const QString path = dir.filePath(u"out.manifest"_s);
    ASSERT_TRUE(succeeds(GroundTruthFormat().write(data, path)));
    // The S3 address goes back; a stale label attribute from the source does not.
    EXPECT_EQ(readLines(path),
              (QList<QJsonObject>{QJsonObject{{u"source-ref"_s, u"s3://bucket/key/a.png"_s},
                                              {u"batch"_s, u"x"_s}}}));
}

TEST(GroundTruthFormat, LossReportCountsWhatTheManifestCannotCarry)
{
    ExportData data = task(u"things"_s, TaskType::Boxes, u"/data"_s);
    data.items = {imageItem(u"/data/a.png"_s, 10, 10,
                            {labelled(10, Box{1, 1, 2, 2}, LabelState::Human),
                             labelled(10, Box{5, 5, 2, 2}, LabelState::Human)})};
    EXPECT_TRUE(GroundTruthFormat().lossReport(data).isEmpty())
        << str(GroundTruthFormat().lossReport(data).losses.join(u"; "_s));

    data.items[0].annotations.append(labelled(30, Box{8, 8, 5, 5}, LabelState::Machine, 0.5));
    data.items[0].annotations.append(
        labelled(30, Polygon{{QPointF(0, 0), QPointF(4, 0), QPointF(4, 4)}},
                 LabelState::MachineAccepted, {}, kOctober2018 + 5));
    data.items[0].annotations.append(labelled(30, ClassTag{}, LabelState::Human));
    const LossReport report = GroundTruthFormat().lossReport(data);
    const QString all = report.losses.join(u"\n"_s);
    ASSERT_EQ(report.losses.size(), 6) << str(all);
    EXPECT_TRUE(report.losses[0].startsWith(u"1 annotations are not written"_s)) << str(all);
    EXPECT_TRUE(report.losses[1].startsWith(u"1 polygons and masks"_s)) << str(all);
    EXPECT_TRUE(report.losses[2].startsWith(u"1 boxes reach past"_s)) << str(all);
    EXPECT_TRUE(report.losses[3].startsWith(u"1 reviewed machine labels"_s)) << str(all);
    EXPECT_TRUE(report.losses[4].startsWith(u"1 items mix human"_s)) << str(all);
    EXPECT_TRUE(report.losses[5].startsWith(u"1 items have labels made at different"_s))
        << str(all);

    ExportData single = task(u"kind"_s, TaskType::TextClassification, {});
    single.items = {textItem(u"x"_s, {labelled(10, ClassTag{}, LabelState::Human),
                                      labelled(30, ClassTag{}, LabelState::Human)})};
    const LossReport classes = GroundTruthFormat().lossReport(single);
    ASSERT_EQ(classes.losses.size(), 1);
    EXPECT_TRUE(classes.losses[0].startsWith(u"1 extra classes"_s));
}

TEST(GroundTruthFormat, CancelLeavesNoFileAndAFailureKeepsTheOldOne)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    ExportData data = task(u"things"_s, TaskType::Boxes, dir.path());
    data.items = {imageItem(dir.filePath(u"a.png"_s), 10, 10,
                            {labelled(10, Box{1, 1, 2, 2}, LabelState::Human)}),
                  imageItem(dir.filePath(u"b.png"_s), 10, 10, {})};
    const QString path = dir.filePath(u"out.manifest"_s);
    int calls = 0;
    const Progress cancelSecond([&calls](qint64, qint64) { return ++calls < 2; });
    const Result<void> cancelled = GroundTruthFormat().write(data, path, cancelSecond);
    ASSERT_FALSE(cancelled.ok());
    EXPECT_TRUE(isFormatCancelled(cancelled.error()));
    EXPECT_TRUE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());

    ASSERT_TRUE(succeeds(GroundTruthFormat().write(data, path)));
    const QList<QJsonObject> good = readLines(path);
    data.items[1].annotations.append(labelled(999, Box{0, 0, 1, 1}, LabelState::Human));
    EXPECT_TRUE(failsMentioning(GroundTruthFormat().write(data, path), {u"999"_s, u"b.png"_s}));
    EXPECT_EQ(readLines(path), good);
    EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
              QStringList{u"out.manifest"_s});

    int readCalls = 0;
    const Progress cancelRead([&readCalls](qint64, qint64) { return ++readCalls < 2; });
    const Result<FormatReadResult> read = GroundTruthFormat().read(path, cancelRead);
    ASSERT_FALSE(read.ok());
    EXPECT_TRUE(isFormatCancelled(read.error()));
}

TEST(GroundTruthFormat, ReadsGoldenSemanticSegmentationByColour)
{
    const QString path = golden(u"segmentation"_s);
    const Result<FormatReadResult> read = GroundTruthFormat().read(path);
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    EXPECT_EQ(read->classes, (QStringList{u"buildings"_s, u"road"_s}));
    ASSERT_EQ(read->items.size(), 2);
    // The second line's map is indexed with its palette in another order, and in S3: it is
    // found by file name and read by colour all the same.
    for (const ImportedItem &item : read->items) {
        EXPECT_EQ(item.width, 4);
        EXPECT_EQ(item.height, 3);
        ASSERT_EQ(item.annotations.size(), 2);
        const RleMask &buildings = std::get<Mask>(item.annotations[0].shape).rle;
        EXPECT_EQ(item.annotations[0].className, u"buildings"_s);
        EXPECT_EQ(buildings.bounds(), QRect(1, 0, 2, 2));
        EXPECT_EQ(buildings.area(), 3);
        EXPECT_FALSE(buildings.contains(2, 1));
        const RleMask &road = std::get<Mask>(item.annotations[1].shape).rle;
        EXPECT_EQ(item.annotations[1].className, u"road"_s);
        EXPECT_EQ(road.bounds(), QRect(0, 1, 4, 2));
        EXPECT_EQ(road.area(), 5);
    }
    EXPECT_EQ(read->items[0].annotations[1].confidence, 0.9);
    EXPECT_EQ(read->items[0].annotations[1].humanAnnotated, true);
    EXPECT_EQ(read->items[0].annotations[1].jobName, u"label-city-streets"_s);
    EXPECT_EQ(read->items[0].extra.value(u"verify-city-streets"_s).toString(), u"1"_s);
    EXPECT_FALSE(read->items[1].annotations[0].confidence.has_value());
    EXPECT_EQ(read->items[1].annotations[0].humanAnnotated, false);
}

TEST(GroundTruthFormat, BadLabelMapsAreProblemsNamingFilesSizesAndPixels)
{
    const QString path = golden(u"segmentation-malformed"_s);
    const Result<FormatReadResult> read = GroundTruthFormat().read(path);
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->items.isEmpty());
    ASSERT_EQ(read->problems.size(), 4);
    ASSERT_TRUE(hasProblemAt(*read, path + u":1: streets-ref"_s));
    for (const QString &word : {u"city-odd.png"_s, u"#000000"_s, u"(3, 2)"_s})
        EXPECT_TRUE(read->problems[0].reason.contains(word)) << str(read->problems[0].reason);
    ASSERT_TRUE(hasProblemAt(*read, path + u":2: streets-ref"_s));
    for (const QString &word : {u"small.png"_s, u"2x2"_s, u"city.png"_s, u"4x3"_s})
        EXPECT_TRUE(read->problems[1].reason.contains(word)) << str(read->problems[1].reason);
    ASSERT_TRUE(hasProblemAt(*read, path + u":3: streets-ref"_s)); // not a PNG
    EXPECT_TRUE(read->problems[2].reason.contains(u"corrupt.png"_s));
    ASSERT_TRUE(hasProblemAt(*read, path + u":4: streets-ref"_s)); // missing
    EXPECT_TRUE(read->problems[3].reason.contains(u"missing.png"_s));
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

TEST(GroundTruthFormat, RoundTripsSegmentationMasksWithPerClassConfidence)
{
    ExportData data = task(u"streets"_s, TaskType::Segmentation, u"/data"_s);
    data.items = {
        imageItem(u"/data/a.png"_s, 6, 4,
                  {labelled(10, pixels({{0, 0}, {1, 0}, {1, 1}}), LabelState::Machine, 0.7),
                   labelled(30, pixels({{5, 3}, {4, 3}, {5, 2}}), LabelState::Machine, 0.4)}),
        imageItem(u"/data/sub/b.png"_s, 3, 3, {labelled(30, pixels({{1, 1}}), LabelState::Human)}),
        imageItem(u"/data/c.png"_s, 2, 2, {})};
    expectRoundTrip(data);
}

TEST(GroundTruthFormat, WritesIndexedLabelMapsBesideTheManifest)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    ExportData data = task(u"city streets"_s, TaskType::Segmentation, dir.path());
    data.task.classes[0].color = QColor(u"#2acf59"_s); // tree, position 2
    data.items = {imageItem(
        dir.filePath(u"img/a.jpg"_s), 8, 6,
        {labelled(10, Box{1, 1, 2, 2}, LabelState::Human),
         labelled(30, Polygon{{QPointF(4, 0), QPointF(6, 0), QPointF(6, 3), QPointF(4, 3)}},
                  LabelState::Human)})};
    const QString path = dir.filePath(u"out.manifest"_s);
    ASSERT_TRUE(succeeds(GroundTruthFormat().write(data, path)));
    const QList<QJsonObject> lines = readLines(path);
    ASSERT_EQ(lines.size(), 1);
    EXPECT_EQ(lines[0][u"source-ref"_s].toString(), u"img/a.jpg"_s);
    EXPECT_EQ(lines[0][u"city-streets-ref"_s].toString(), u"out-labels/img/a.png"_s);
    const QJsonObject metadata = lines[0][u"city-streets-ref-metadata"_s].toObject();
    EXPECT_EQ(metadata[u"type"_s].toString(), u"groundtruth/semantic-segmentation"_s);
    EXPECT_EQ(metadata[u"job-name"_s].toString(), u"labeling-job/city-streets"_s);
    const QJsonObject colors = metadata[u"internal-color-map"_s].toObject();
    EXPECT_EQ(colors.keys(), (QStringList{u"0"_s, u"1"_s, u"3"_s}));
    EXPECT_EQ(colors[u"0"_s][u"class-name"_s].toString(), u"BACKGROUND"_s);
    EXPECT_EQ(colors[u"0"_s][u"hex-color"_s].toString(), u"#ffffff"_s);
    EXPECT_EQ(colors[u"3"_s][u"class-name"_s].toString(), u"tree"_s);
    EXPECT_EQ(colors[u"3"_s][u"hex-color"_s].toString(), u"#2acf59"_s);

    const QImage map(dir.filePath(u"out-labels/img/a.png"_s));
    ASSERT_EQ(map.format(), QImage::Format_Indexed8);
    ASSERT_EQ(map.size(), QSize(8, 6));
    EXPECT_EQ(map.color(0), qRgb(255, 255, 255));
    EXPECT_EQ(map.color(3), qRgb(0x2a, 0xcf, 0x59));
    EXPECT_EQ(map.pixelIndex(0, 0), 0);
    EXPECT_EQ(map.pixelIndex(1, 1), 1); // the box: pixels 1..2
    EXPECT_EQ(map.pixelIndex(2, 2), 1);
    EXPECT_EQ(map.pixelIndex(3, 3), 0);
    EXPECT_EQ(map.pixelIndex(4, 0), 3); // the polygon: pixel centres 4.5, 5.5 x 0.5 .. 2.5
    EXPECT_EQ(map.pixelIndex(5, 2), 3);
    EXPECT_EQ(map.pixelIndex(6, 0), 0);
    EXPECT_EQ(map.pixelIndex(5, 3), 0);
}

TEST(GroundTruthFormat, SegmentationCancelAndFailureLeaveNoHalfWrittenFiles)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    ExportData data = task(u"streets"_s, TaskType::Segmentation, dir.path());
    data.items = {imageItem(dir.filePath(u"a.png"_s), 4, 4,
                            {labelled(10, Box{0, 0, 2, 2}, LabelState::Human)}),
                  imageItem(dir.filePath(u"b.png"_s), 4, 4, {})};
    const QString path = dir.filePath(u"out.manifest"_s);
    const auto everything = QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot;
    int calls = 0;
    const Progress cancelSecond([&calls](qint64, qint64) { return ++calls < 2; });
    const Result<void> cancelled = GroundTruthFormat().write(data, path, cancelSecond);
    ASSERT_FALSE(cancelled.ok());
    EXPECT_TRUE(isFormatCancelled(cancelled.error()));
    EXPECT_TRUE(QDir(dir.path()).entryList(everything).isEmpty())
        << str(QDir(dir.path()).entryList(everything).join(u", "_s));

    ASSERT_TRUE(succeeds(GroundTruthFormat().write(data, path)));
    ASSERT_TRUE(succeeds(GroundTruthFormat().write(data, path))); // replaces the old maps
    EXPECT_EQ(QDir(dir.path()).entryList(everything),
              (QStringList{u"out-labels"_s, u"out.manifest"_s}));
    const QList<QJsonObject> good = readLines(path);
    data.items[1].annotations.append(labelled(999, Box{0, 0, 1, 1}, LabelState::Human));
    EXPECT_TRUE(failsMentioning(GroundTruthFormat().write(data, path), {u"999"_s, u"b.png"_s}));
    EXPECT_EQ(readLines(path), good);
    EXPECT_EQ(QDir(dir.path()).entryList(everything),
              (QStringList{u"out-labels"_s, u"out.manifest"_s}));
    EXPECT_EQ(QDir(dir.filePath(u"out-labels"_s)).entryList(everything),
              (QStringList{u"a.png"_s, u"b.png"_s}));
}

TEST(GroundTruthFormat, SegmentationLossReportCountsRasterisingOverlapsAndConfidences)
{
    ExportData data = task(u"streets"_s, TaskType::Segmentation, u"/data"_s);
    data.items = {imageItem(u"/data/a.png"_s, 8, 8,
                            {labelled(10, Box{0, 0, 4, 4}, LabelState::Human),
                             labelled(30, Box{2, 2, 4, 4}, LabelState::Human),
                             labelled(30, pixels({{7, 7}}), LabelState::Human)})};
    LossReport report = GroundTruthFormat().lossReport(data);
    QString all = report.losses.join(u"\n"_s);
    ASSERT_EQ(report.losses.size(), 3) << str(all);
    EXPECT_TRUE(report.losses[0].startsWith(u"2 boxes are rasterised"_s)) << str(all);
    EXPECT_TRUE(report.losses[1].startsWith(u"1 annotations are partly or wholly painted over"_s))
        << str(all);
    EXPECT_TRUE(report.losses[1].contains(u"(4 pixels overwritten)"_s)) << str(all);
    EXPECT_TRUE(report.losses[2].startsWith(u"1 annotations are merged"_s)) << str(all);

    data.items[0].annotations = {labelled(30, pixels({{1, 1}}), LabelState::Machine, 0.5),
                                 labelled(30, pixels({{3, 3}}), LabelState::Machine, 0.9)};
    report = GroundTruthFormat().lossReport(data);
    all = report.losses.join(u"\n"_s);
    ASSERT_EQ(report.losses.size(), 2) << str(all);
    EXPECT_TRUE(report.losses[0].startsWith(u"1 annotations are merged"_s)) << str(all);
    EXPECT_TRUE(report.losses[1].startsWith(u"1 confidences are merged"_s)) << str(all);
}

TEST(GroundTruthFormat, TextJobsMayNameTextFiles)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QDir().mkpath(dir.filePath(u"texts"_s));
    QFile text(dir.filePath(u"texts/a.txt"_s));
    ASSERT_TRUE(text.open(QIODevice::WriteOnly));
    text.write("Approving, but sad");
    text.close();
    QFile manifest(dir.filePath(u"in.manifest"_s));
    ASSERT_TRUE(manifest.open(QIODevice::WriteOnly));
    manifest.write(
        R"({"source-ref": "texts/a.txt", "t": [1], "t-metadata": {"class-map": {"1": "approving"}, "type": "groundtruth/text-classification-multilabel"}})"
        "\n"
        R"({"source-ref": "texts/missing.txt", "t": [1], "t-metadata": {"class-map": {"1": "approving"}, "type": "groundtruth/text-classification-multilabel"}})"
        "\n");
    manifest.close();
    const Result<FormatReadResult> read = GroundTruthFormat().read(manifest.fileName());
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(hasProblemAt(*read, manifest.fileName() + u":2: source-ref"_s));
    ASSERT_EQ(read->items.size(), 1);
    EXPECT_EQ(read->items[0].text, u"Approving, but sad"_s);
    EXPECT_EQ(read->items[0].path, dir.filePath(u"texts/a.txt"_s));
    ASSERT_EQ(read->items[0].annotations.size(), 1);
    EXPECT_EQ(read->items[0].annotations[0].className, u"approving"_s);
}

TEST(GroundTruthFormat, UnknownClassOnATextNamesTheText)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    ExportData data = task(u"tone"_s, TaskType::TextClassification, {});
    data.items = {textItem(u"Fine food"_s, {labelled(999, ClassTag{}, LabelState::Human)})};
    const QString path = dir.filePath(u"out.manifest"_s);
    EXPECT_TRUE(failsMentioning(GroundTruthFormat().write(data, path),
                                {path, u"999"_s, u"\"Fine food\""_s, u"tone"_s}));
    EXPECT_FALSE(QFileInfo::exists(path));
}

TEST(GroundTruthFormat, ByteOrderMarkAndWindowsLineEndsAreRead)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QFile file(dir.filePath(u"in.manifest"_s));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("\xEF\xBB\xBF{\"source\": \"one\"}\r\n{\"source\": \"two\"}\r\n");
    file.close();
    const Result<FormatReadResult> read = GroundTruthFormat().read(file.fileName());
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    ASSERT_EQ(read->items.size(), 2);
    EXPECT_EQ(read->items[0].text, u"one"_s);
    EXPECT_EQ(read->items[1].text, u"two"_s);
}

} // namespace
} // namespace fieldmark
