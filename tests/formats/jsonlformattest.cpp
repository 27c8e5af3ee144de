#include "core/formats/jsonlformat.h"
#include "core/formats/annotationimport.h"
#include "core/formats/exporter.h"
#include "core/formats/formatregistry.h"
#include "core/import/importer.h"
#include "core/model/textoffsets.h"
#include "core/store/projectstore.h"
#include "tests/core/resultassertions.h"
#include "tests/formats/formattestutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

using test::annotation;
using test::failsMentioning;
using test::hasProblemAt;
using test::labelClass;
using test::str;
using test::succeeds;

QString golden(const QString &name)
{
    return QStringLiteral(FIELDMARK_GOLDEN_DIR "/jsonl/") + name + u'/' + name + u".jsonl"_s;
}

using Label = std::pair<QString, Shape>;

QList<Label> labelsOf(const ImportedItem &item)
{
    QList<Label> labels;
    for (const ImportedAnnotation &a : item.annotations)
        labels.append({a.className, a.shape});
    return labels;
}

// The text a code point span covers.
QString covered(const QString &text, Span span)
{
    const qsizetype from = utf16IndexOfCodePoint(text, span.start);
    const qsizetype to = utf16IndexOfCodePoint(text, span.end);
    return from < 0 || to < 0 ? u"<outside>"_s : text.mid(from, to - from);
}

ExportItem textItem(qint64 id, const QString &text, QList<Annotation> annotations,
                    QJsonObject extra = {})
{
    ExportItem e;
    e.item.id = id;
    e.item.kind = ItemKind::Text;
    e.item.text = text;
    e.item.sourceRef = u"in.jsonl:%1"_s.arg(id);
    e.item.extra = std::move(extra);
    e.annotations = std::move(annotations);
    return e;
}

ExportData taskData(TaskType type, QList<ExportItem> items)
{
    ExportData data;
    data.task.name = u"texts"_s;
    data.task.type = type;
    data.task.classes = {labelClass(7, u"b"_s, 1), labelClass(3, u"a"_s, 0)};
    data.items = std::move(items);
    return data;
}

QByteArray readBytes(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return "<missing>";
    return file.readAll();
}

TEST(JsonlFormat, RegistryFindsJsonlByName)
{
    const FormatRegistry registry = FormatRegistry::builtIn();
    const Format *jsonl = registry.find(u"jsonl"_s);
    ASSERT_NE(jsonl, nullptr);
    EXPECT_EQ(jsonl->displayName(), u"JSON Lines (spaCy / doccano)"_s);
    const FormatCapabilities caps = jsonl->capabilities();
    EXPECT_TRUE(caps.canRead && caps.canWrite);
    EXPECT_EQ(caps.tasks, (QList<TaskType>{TaskType::TextClassification, TaskType::TextMultiLabel,
                                           TaskType::Spans}));
    EXPECT_TRUE(jsonl->fileFilter().contains(u"*.jsonl"_s));
}

TEST(JsonlFormat, ReadsGoldenDoccanoSpansAndKeepsOtherFields)
{
    const Result<FormatReadResult> read = JsonlFormat().read(golden(u"doccano-spans"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    EXPECT_EQ(read->classes, (QStringList{u"ORG"_s, u"MISC"_s, u"PER"_s}));
    ASSERT_EQ(read->items.size(), 3);
    const ImportedItem &first = read->items[0];
    EXPECT_EQ(first.text, u"EU rejects German call to boycott British lamb."_s);
    EXPECT_EQ(first.path, QFileInfo(golden(u"doccano-spans"_s)).absoluteFilePath());
    EXPECT_EQ(first.sourceRef, u"doccano-spans.jsonl:1"_s);
    EXPECT_EQ(labelsOf(first),
              (QList<Label>{
                  {u"ORG"_s, Span{0, 2}}, {u"MISC"_s, Span{11, 17}}, {u"MISC"_s, Span{34, 41}}}));
    EXPECT_EQ(first.extra, (QJsonObject{{u"id"_s, 1}, {u"Comments"_s, QJsonArray()}}));
    EXPECT_EQ(labelsOf(read->items[1]), (QList<Label>{{u"PER"_s, Span{0, 15}}}));
    EXPECT_TRUE(read->items[2].annotations.isEmpty());
}

TEST(JsonlFormat, ReadsGoldenDoccanoClassesAsStringsOrLists)
{
    const Result<FormatReadResult> read = JsonlFormat().read(golden(u"doccano-classes"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    EXPECT_EQ(read->classes,
              (QStringList{u"negative"_s, u"positive"_s, u"praise"_s, u"neutral"_s}));
    ASSERT_EQ(read->items.size(), 4); // the blank line is no record
    EXPECT_EQ(labelsOf(read->items[0]), (QList<Label>{{u"negative"_s, ClassTag{}}}));
    EXPECT_EQ(labelsOf(read->items[1]),
              (QList<Label>{{u"positive"_s, ClassTag{}}, {u"praise"_s, ClassTag{}}}));
    EXPECT_EQ(labelsOf(read->items[2]), (QList<Label>{{u"positive"_s, ClassTag{}}}));
    const ImportedItem &older = read->items[3];
    EXPECT_EQ(older.text, u"Older doccano exports call the text data."_s);
    EXPECT_EQ(older.sourceRef, u"doccano-classes.jsonl:5"_s);
    EXPECT_EQ(labelsOf(older), (QList<Label>{{u"neutral"_s, ClassTag{}}}));
    EXPECT_EQ(older.extra, (QJsonObject{{u"meta"_s, QJsonObject{{u"src"_s, u"web"_s}}}}));
}

TEST(JsonlFormat, ReadsGoldenSpacyOffsetsAsCodePoints)
{
    const Result<FormatReadResult> read = JsonlFormat().read(golden(u"spacy-entities"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    ASSERT_EQ(read->items.size(), 2);
    // A heart with a variation selector, a snake beyond the BMP, a combining diaeresis.
    const ImportedItem &first = read->items[0];
    EXPECT_EQ(first.text, u"I \u2764\uFE0F \U0001F40D Python in Zu\u0308rich"_s);
    EXPECT_EQ(labelsOf(first), (QList<Label>{{u"LANG"_s, Span{7, 13}}, {u"GPE"_s, Span{17, 24}}}));
    EXPECT_EQ(covered(first.text, Span{7, 13}), u"Python"_s);
    EXPECT_EQ(covered(first.text, Span{17, 24}), u"Zu\u0308rich"_s);
    // \u escapes with surrogate pairs; doccano's and the plain object forms.
    const ImportedItem &second = read->items[1];
    EXPECT_EQ(labelsOf(second), (QList<Label>{{u"ORG"_s, Span{0, 7}}, {u"PER"_s, Span{14, 19}}}));
    EXPECT_EQ(covered(second.text, Span{0, 7}), u"\U0001D4B3\U0001D4B4 Corp"_s);
    EXPECT_EQ(covered(second.text, Span{14, 19}), u"Jose\u0301"_s);
}

TEST(JsonlFormat, ReadsGoldenProdigySpansAndSkipsRejectedAnswers)
{
    const Result<FormatReadResult> read = JsonlFormat().read(golden(u"prodigy"_s));
    ASSERT_TRUE(succeeds(read));
    ASSERT_EQ(read->items.size(), 3);
    EXPECT_EQ(labelsOf(read->items[0]), (QList<Label>{{u"ORG"_s, Span{0, 5}}}));
    EXPECT_EQ(read->items[0].extra, (QJsonObject{{u"_input_hash"_s, 1}, {u"_task_hash"_s, 2}}));
    // A rejected label means the class does not apply: it must not come back as a label.
    EXPECT_TRUE(read->items[1].annotations.isEmpty());
    EXPECT_TRUE(hasProblemAt(*read, u"prodigy.jsonl:2: answer"_s));
    EXPECT_EQ(read->problems.size(), 1);
    EXPECT_EQ(labelsOf(read->items[2]), (QList<Label>{{u"SPORTS"_s, ClassTag{}}}));
}

TEST(JsonlFormat, MalformedRecordsAreProblemsWithLineAndJsonPath)
{
    const Result<FormatReadResult> read = JsonlFormat().read(golden(u"malformed"_s));
    ASSERT_TRUE(succeeds(read));
    const FormatProblem &json = read->problems.value(0);
    EXPECT_TRUE(json.where.contains(u"malformed.jsonl:2:"_s)) << str(json.where); // and a column
    EXPECT_TRUE(json.reason.startsWith(u"malformed JSON"_s)) << str(json.reason);
    EXPECT_TRUE(hasProblemAt(*read, u"malformed.jsonl:3"_s));              // no text
    EXPECT_TRUE(hasProblemAt(*read, u"malformed.jsonl:4: entities[1]"_s)); // past the end
    EXPECT_TRUE(hasProblemAt(*read, u"malformed.jsonl:5: entities[0]"_s)); // empty
    EXPECT_TRUE(hasProblemAt(*read, u"malformed.jsonl:5: entities[1]"_s)); // reversed
    EXPECT_TRUE(hasProblemAt(*read, u"malformed.jsonl:6: entities[2]"_s)); // label a number
    EXPECT_TRUE(hasProblemAt(*read, u"malformed.jsonl:7: label[1]"_s));    // label a number
    EXPECT_TRUE(hasProblemAt(*read, u"malformed.jsonl:8"_s));              // not an object
    EXPECT_TRUE(hasProblemAt(*read, u"malformed.jsonl:9: label"_s));       // an object
    EXPECT_EQ(read->problems.size(), 9);

    // Bad records and bad labels are left out; the rest of each record still comes back.
    ASSERT_EQ(read->items.size(), 6);
    EXPECT_EQ(labelsOf(read->items[0]), (QList<Label>{{u"ok"_s, ClassTag{}}}));
    EXPECT_EQ(labelsOf(read->items[1]), (QList<Label>{{u"A"_s, Span{0, 5}}}));
    EXPECT_EQ(labelsOf(read->items[2]), (QList<Label>{{u"C"_s, Span{0, 1}}}));
    EXPECT_EQ(labelsOf(read->items[3]), (QList<Label>{{u"A"_s, Span{0, 1}}, {u"B"_s, Span{1, 2}}}));
    EXPECT_EQ(labelsOf(read->items[4]), (QList<Label>{{u"x"_s, ClassTag{}}}));
    EXPECT_EQ(read->items[5].text, u"\u00e9t\u00e9"_s);
    EXPECT_TRUE(read->items[5].annotations.isEmpty());
}

TEST(JsonlFormat, RoundTripKeepsSpansOverEmojiAndCombiningMarksAndOtherFields)
{
    // Spans need not fall on word edges here: JSON Lines keeps any code point offsets.
    const QString text = u"\U0001F469\u200D\U0001F52C Dr. Zoe\u0308 \U0001D4B3! cafe\u0301s"_s;
    const QJsonObject extra{{u"id"_s, 42},
                            {u"meta"_s, QJsonObject{{u"source"_s, u"web"_s}}},
                            {u"label"_s, u"stale"_s}}; // what the record now answers for
    const ExportData data = taskData(
        TaskType::Spans, {textItem(1, text,
                                   {annotation(3, Span{4, 13}), annotation(7, Span{0, 3}),
                                    annotation(7, Span{9, 12}), annotation(3, Span{16, 21})},
                                   extra),
                          textItem(2, u"nothing"_s, {})});
    EXPECT_TRUE(JsonlFormat().lossReport(data).isEmpty());
    QTemporaryDir dir;
    const QString path = dir.filePath(u"out.jsonl"_s);
    ASSERT_TRUE(succeeds(JsonlFormat().write(data, path)));

    const Result<FormatReadResult> read = JsonlFormat().read(path);
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    ASSERT_EQ(read->items.size(), 2);
    EXPECT_EQ(read->items[0].text, text);
    EXPECT_EQ(labelsOf(read->items[0]), (QList<Label>{{u"b"_s, Span{0, 3}},
                                                      {u"a"_s, Span{4, 13}},
                                                      {u"b"_s, Span{9, 12}},
                                                      {u"a"_s, Span{16, 21}}}));
    EXPECT_EQ(covered(text, Span{0, 3}), u"\U0001F469\u200D\U0001F52C"_s);
    EXPECT_EQ(covered(text, Span{16, 21}), u"cafe\u0301"_s);
    QJsonObject kept = extra;
    kept.remove(u"label"_s);
    EXPECT_EQ(read->items[0].extra, kept);
    EXPECT_TRUE(read->items[1].annotations.isEmpty());
}

TEST(JsonlFormat, WritesClassRecordsAsStringOrListInClassOrder)
{
    QTemporaryDir dir;
    const QString single = dir.filePath(u"single.jsonl"_s);
    const ExportData singleData =
        taskData(TaskType::TextClassification,
                 {textItem(1, u"Good \"deal\""_s, {annotation(7, ClassTag{})}, {{u"id"_s, 1}}),
                  textItem(2, u"Meh"_s, {})});
    ASSERT_TRUE(succeeds(JsonlFormat().write(singleData, single)));
    EXPECT_EQ(readBytes(single), "{\"text\":\"Good \\\"deal\\\"\",\"label\":\"b\",\"id\":1}\n"
                                 "{\"text\":\"Meh\"}\n");

    const QString multi = dir.filePath(u"multi.jsonl"_s);
    const ExportData multiData =
        taskData(TaskType::TextMultiLabel,
                 {textItem(1, u"x"_s, {annotation(7, ClassTag{}), annotation(3, ClassTag{})}),
                  textItem(2, u"y"_s, {})});
    ASSERT_TRUE(succeeds(JsonlFormat().write(multiData, multi)));
    // Classes by position: "a" (0) before "b" (1), whatever order they were given in.
    EXPECT_EQ(readBytes(multi), "{\"text\":\"x\",\"label\":[\"a\",\"b\"]}\n"
                                "{\"text\":\"y\",\"label\":[]}\n");
    const Result<FormatReadResult> read = JsonlFormat().read(multi);
    ASSERT_TRUE(succeeds(read));
    ASSERT_EQ(read->items.size(), 2);
    EXPECT_EQ(labelsOf(read->items[0]), (QList<Label>{{u"a"_s, ClassTag{}}, {u"b"_s, ClassTag{}}}));
    EXPECT_TRUE(read->items[1].annotations.isEmpty());
}

TEST(JsonlFormat, WritesSpanRecordsAsSpacyEntities)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"spans.jsonl"_s);
    const ExportData data =
        taskData(TaskType::Spans, {textItem(4, u"Ann met Bob"_s,
                                            {annotation(3, Span{8, 11}), annotation(3, Span{0, 3})},
                                            {{u"id"_s, 4}})});
    ASSERT_TRUE(succeeds(JsonlFormat().write(data, path)));
    EXPECT_EQ(readBytes(path),
              "{\"text\":\"Ann met Bob\",\"entities\":[[0,3,\"a\"],[8,11,\"a\"]],\"id\":4}\n");
}

TEST(JsonlFormat, LossReportCountsOtherShapesConfidencesAndProvenance)
{
    ExportData data = taskData(TaskType::TextClassification,
                               {textItem(1, u"Ann met Bob"_s,
                                         {annotation(3, ClassTag{}, 0.9), annotation(7, Span{0, 3}),
                                          annotation(7, Span{8, 11})})});
    const LossReport report = JsonlFormat().lossReport(data);
    ASSERT_EQ(report.losses.size(), 3) << str(report.losses.join(u"; "_s));
    EXPECT_EQ(report.losses[0],
              u"2 span labels are not written: JSON Lines carries text classes only"_s);
    EXPECT_EQ(report.losses[1], u"confidences are not kept: 1 labels have one"_s);
    EXPECT_TRUE(report.losses[2].startsWith(u"label provenance"_s));
    EXPECT_TRUE(report.losses[2].contains(u"1 machine"_s));

    data.task.type = TaskType::Spans;
    const LossReport spans = JsonlFormat().lossReport(data);
    ASSERT_EQ(spans.losses.size(), 1) << str(spans.losses.join(u"; "_s));
    EXPECT_EQ(spans.losses[0],
              u"1 class labels are not written: JSON Lines carries text spans only"_s);
}

TEST(JsonlFormat, CancelledWriteLeavesNoFileAndCancelledReadStops)
{
    const ExportData data = taskData(TaskType::TextClassification,
                                     {textItem(1, u"one"_s, {annotation(3, ClassTag{})}),
                                      textItem(2, u"two"_s, {annotation(7, ClassTag{})})});
    const Progress cancelAtSecond([](qint64 done, qint64) { return done < 1; });
    QTemporaryDir dir;
    const QString path = dir.filePath(u"out.jsonl"_s);
    const Result<void> written = JsonlFormat().write(data, path, cancelAtSecond);
    ASSERT_FALSE(written.ok());
    EXPECT_TRUE(isFormatCancelled(written.error()));
    EXPECT_TRUE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());

    const Result<FormatReadResult> read =
        JsonlFormat().read(golden(u"doccano-classes"_s), cancelAtSecond);
    ASSERT_FALSE(read.ok());
    EXPECT_TRUE(isFormatCancelled(read.error()));
}

TEST(JsonlFormat, UnknownClassFailsAndKeepsTheOldFile)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"out.jsonl"_s);
    ExportData data = taskData(TaskType::TextClassification,
                               {textItem(1, u"one"_s, {annotation(3, ClassTag{})})});
    ASSERT_TRUE(succeeds(JsonlFormat().write(data, path)));
    const QByteArray good = readBytes(path);
    data.items[0].annotations = {annotation(99, ClassTag{})};
    EXPECT_TRUE(failsMentioning(JsonlFormat().write(data, path), {u"99"_s, u"in.jsonl:1"_s}));
    EXPECT_EQ(readBytes(path), good);
    EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{u"out.jsonl"_s});
}

TEST(JsonlFormat, ExportFromAProjectImportsBackOntoTheSameTexts)
{
    QTemporaryDir dir;
    auto store = ProjectStore::create(dir.filePath(u"project"_s));
    ASSERT_TRUE(succeeds(store));
    const Result<LabelTask> task =
        (*store)->addTask(u"ner"_s, TaskType::Spans, {u"PER"_s, u"LOC"_s});
    ASSERT_TRUE(succeeds(task));
    QList<Item> items;
    for (const QString &text : {u"Zoe\u0308 flew to \U0001D4B3 \U0001F680"_s, u"Bob, at home."_s}) {
        Item item;
        item.kind = ItemKind::Text;
        item.text = text;
        item.hash = textHash(text);
        item.sourceRef = u"in.jsonl:%1"_s.arg(items.size() + 1);
        items.append(item);
    }
    const auto added = (*store)->addItems(items);
    ASSERT_TRUE(succeeds(added));
    ASSERT_EQ(added->addedIds.size(), 2);
    QList<Annotation> annotations;
    for (const auto &[item, classIndex, span] :
         {std::tuple{0, 0, Span{0, 4}}, std::tuple{0, 1, Span{15, 16}},
          std::tuple{1, 0, Span{0, 3}}}) {
        Annotation a;
        a.itemId = added->addedIds[item];
        a.taskId = task->id;
        a.classId = task->classes[classIndex].id;
        a.shape = span;
        annotations.append(a);
    }
    ASSERT_TRUE(succeeds((*store)->addAnnotations(annotations)));

    const QString out = dir.filePath(u"export/ner.jsonl"_s);
    const JsonlFormat format; // the plan points at it
    ExportOptions options;
    options.taskId = task->id;
    const Result<ExportPlan> exportPlan = planExport(**store, format, out, options);
    ASSERT_TRUE(succeeds(exportPlan));
    EXPECT_TRUE(exportPlan->loss.isEmpty()) << str(exportPlan->loss.losses.join(u"; "_s));
    ASSERT_TRUE(succeeds(runExport(*exportPlan)));

    AnnotationImportOptions importOptions;
    importOptions.taskId = task->id;
    const Result<AnnotationImportPlan> importPlan =
        planAnnotationImport(**store, format, out, importOptions);
    ASSERT_TRUE(succeeds(importPlan));
    EXPECT_TRUE(importPlan->problems.isEmpty()) << str(importPlan->problems.value(0).reason);
    EXPECT_EQ(importPlan->matchedItems, 2);
    EXPECT_EQ(importPlan->missingItems, 0);
    EXPECT_EQ(importPlan->annotations, 0);
    EXPECT_EQ(importPlan->alreadyPresent, 3); // every span came back onto its own text
}

} // namespace
} // namespace fieldmark
