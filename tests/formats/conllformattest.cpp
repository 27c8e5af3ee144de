#include "core/formats/conllformat.h"
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
    return QStringLiteral(FIELDMARK_GOLDEN_DIR "/conll/") + name + u'/' + name + u".conll"_s;
}

using Entity = std::pair<QString, Span>;

QList<Entity> entitiesOf(const ImportedItem &item)
{
    QList<Entity> entities;
    for (const ImportedAnnotation &a : item.annotations)
        entities.append({a.className, std::get<Span>(a.shape)});
    return entities;
}

ExportItem textItem(qint64 id, const QString &text, QList<Annotation> annotations)
{
    ExportItem e;
    e.item.id = id;
    e.item.kind = ItemKind::Text;
    e.item.text = text;
    e.item.sourceRef = u"texts.jsonl:%1"_s.arg(id);
    e.annotations = std::move(annotations);
    return e;
}

// Classes whose positions differ from their ids and list order; one name holds a space.
ExportData spanData(QList<ExportItem> items)
{
    ExportData data;
    data.task.name = u"entities"_s;
    data.task.type = TaskType::Spans;
    data.task.classes = {labelClass(7, u"LOC"_s, 1), labelClass(3, u"PER"_s, 0),
                         labelClass(9, u"hot dog"_s, 2)};
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

TEST(ConllFormat, RegistryFindsConllByName)
{
    const FormatRegistry registry = FormatRegistry::builtIn();
    const Format *conll = registry.find(u"conll"_s);
    ASSERT_NE(conll, nullptr);
    EXPECT_EQ(conll->displayName(), u"CoNLL (IOB2)"_s);
    const FormatCapabilities caps = conll->capabilities();
    EXPECT_TRUE(caps.canRead && caps.canWrite);
    EXPECT_FALSE(caps.writesFolder);
    EXPECT_EQ(caps.tasks, QList<TaskType>{TaskType::Spans});
    EXPECT_TRUE(conll->fileFilter().contains(u"*.conll"_s));
}

TEST(ConllFormat, ReadsGoldenConll2003ColumnsAndSkipsDocstart)
{
    const Result<FormatReadResult> read = ConllFormat().read(golden(u"conll2003"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    EXPECT_EQ(read->classes, (QStringList{u"ORG"_s, u"MISC"_s, u"PER"_s}));
    ASSERT_EQ(read->items.size(), 2);
    const ImportedItem &first = read->items[0];
    EXPECT_EQ(first.text, u"EU rejects German call to boycott British lamb ."_s);
    EXPECT_EQ(first.path, QFileInfo(golden(u"conll2003"_s)).absoluteFilePath());
    EXPECT_EQ(first.sourceRef, u"conll2003.conll:3"_s);
    EXPECT_EQ(entitiesOf(first),
              (QList<Entity>{
                  {u"ORG"_s, Span{0, 2}}, {u"MISC"_s, Span{11, 17}}, {u"MISC"_s, Span{34, 41}}}));
    EXPECT_EQ(read->items[1].text, u"Peter Blackburn"_s);
    EXPECT_EQ(entitiesOf(read->items[1]), (QList<Entity>{{u"PER"_s, Span{0, 15}}}));
}

TEST(ConllFormat, ReadsGoldenIob1WhereIStartsAnEntity)
{
    const Result<FormatReadResult> read = ConllFormat().read(golden(u"iob1"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    ASSERT_EQ(read->items.size(), 2);
    EXPECT_EQ(read->items[0].text, u"U.N. official Ekeus heads for Baghdad ."_s);
    EXPECT_EQ(entitiesOf(read->items[0]),
              (QList<Entity>{
                  {u"ORG"_s, Span{0, 4}}, {u"PER"_s, Span{14, 19}}, {u"LOC"_s, Span{30, 37}}}));
    // IOB1's B- splits two adjacent entities of one type.
    EXPECT_EQ(read->items[1].text, u"in West Germany East Germany"_s);
    EXPECT_EQ(entitiesOf(read->items[1]),
              (QList<Entity>{{u"LOC"_s, Span{3, 15}}, {u"LOC"_s, Span{16, 28}}}));
}

TEST(ConllFormat, ReadsGoldenBioesAndBilouTags)
{
    const Result<FormatReadResult> read = ConllFormat().read(golden(u"bioes"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    ASSERT_EQ(read->items.size(), 2);
    EXPECT_EQ(entitiesOf(read->items[0]),
              (QList<Entity>{{u"PER"_s, Span{0, 4}}, {u"LOC"_s, Span{13, 24}}}));
    EXPECT_EQ(read->items[1].text, u"New York Times says Ada"_s);
    EXPECT_EQ(entitiesOf(read->items[1]),
              (QList<Entity>{{u"ORG"_s, Span{0, 14}}, {u"PER"_s, Span{20, 23}}}));
}

TEST(ConllFormat, MalformedLinesAreProblemsNamingFileAndLine)
{
    const Result<FormatReadResult> read = ConllFormat().read(golden(u"malformed"_s));
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(hasProblemAt(*read, u"malformed.conll:4"_s));  // I-PER after O
    EXPECT_TRUE(hasProblemAt(*read, u"malformed.conll:6"_s));  // one column
    EXPECT_TRUE(hasProblemAt(*read, u"malformed.conll:7"_s));  // X-LOC
    EXPECT_TRUE(hasProblemAt(*read, u"malformed.conll:11"_s)); // E-ORG closes nothing
    EXPECT_EQ(read->problems.size(), 4);
    EXPECT_TRUE(read->problems[0].reason.contains(u"B-PER"_s)) << str(read->problems[0].reason);

    // The rest still comes back: a stray I- or E- starts an entity, an unknown tag is O.
    ASSERT_EQ(read->items.size(), 3);
    EXPECT_EQ(read->items[0].text, u"John Smith met Mary"_s);
    EXPECT_EQ(entitiesOf(read->items[0]),
              (QList<Entity>{{u"PER"_s, Span{0, 10}}, {u"PER"_s, Span{15, 19}}}));
    EXPECT_EQ(read->items[1].text, u"Paris in Berlin"_s);
    EXPECT_EQ(entitiesOf(read->items[1]), (QList<Entity>{{u"LOC"_s, Span{9, 15}}}));
    EXPECT_EQ(entitiesOf(read->items[2]), (QList<Entity>{{u"ORG"_s, Span{0, 3}}}));
}

TEST(ConllFormat, RoundTripKeepsSpansOverCombiningMarksEmojiAndNonBmpLetters)
{
    // Tokens are separated by single spaces, so the text itself survives too.
    const QString text =
        u"Zoe\u0308 met Jose\u0301 in \U0001D4B3\U0001D4B4 City \U0001F1EB\U0001F1F7 "
        u"\U0001F40D today"_s;
    ASSERT_EQ(codePointLength(text), 36);
    const QString food = u"I ate a hot dog"_s;
    const ExportData data =
        spanData({textItem(1, text,
                           {annotation(3, Span{0, 4}), annotation(3, Span{9, 14}),
                            annotation(7, Span{18, 25}), annotation(7, Span{26, 28})}),
                  textItem(2, food, {annotation(9, Span{8, 15})})});
    QTemporaryDir dir;
    const QString path = dir.filePath(u"out.conll"_s);
    EXPECT_TRUE(ConllFormat().lossReport(data).isEmpty())
        << str(ConllFormat().lossReport(data).losses.join(u"; "_s));
    ASSERT_TRUE(succeeds(ConllFormat().write(data, path)));
    EXPECT_TRUE(readBytes(path).contains("hot\tB-hot dog\ndog\tI-hot dog\n"));

    const Result<FormatReadResult> read = ConllFormat().read(path);
    ASSERT_TRUE(succeeds(read));
    EXPECT_TRUE(read->problems.isEmpty()) << str(read->problems.value(0).reason);
    EXPECT_EQ(read->classes, (QStringList{u"PER"_s, u"LOC"_s, u"hot dog"_s}));
    ASSERT_EQ(read->items.size(), 2);
    EXPECT_EQ(read->items[0].text, text);
    EXPECT_EQ(entitiesOf(read->items[0]), (QList<Entity>{{u"PER"_s, Span{0, 4}},
                                                         {u"PER"_s, Span{9, 14}},
                                                         {u"LOC"_s, Span{18, 25}},
                                                         {u"LOC"_s, Span{26, 28}}}));
    EXPECT_EQ(read->items[1].text, food);
    EXPECT_EQ(entitiesOf(read->items[1]), (QList<Entity>{{u"hot dog"_s, Span{8, 15}}}));
}

TEST(ConllFormat, WritesTokenLinesAndWidensSpansToWholeWords)
{
    const ExportData data = spanData(
        {textItem(1, u"New York-based firms, said Ann."_s,
                  {annotation(3, Span{27, 30}), annotation(7, Span{4, 6})})}); // "Yo" inside "York"
    const LossReport report = ConllFormat().lossReport(data);
    const QString all = report.losses.join(u'\n');
    EXPECT_TRUE(all.contains(u"1 spans start or end inside a word"_s)) << str(all);
    EXPECT_TRUE(all.contains(u"whitespace of 1 texts"_s)) << str(all);

    QTemporaryDir dir;
    const QString path = dir.filePath(u"out.conll"_s);
    ASSERT_TRUE(succeeds(ConllFormat().write(data, path)));
    EXPECT_EQ(readBytes(path), "New\tO\nYork\tB-LOC\n-\tO\nbased\tO\nfirms\tO\n,\tO\n"
                               "said\tO\nAnn\tB-PER\n.\tO\n\n");
    const Result<FormatReadResult> read = ConllFormat().read(path);
    ASSERT_TRUE(succeeds(read));
    ASSERT_EQ(read->items.size(), 1);
    EXPECT_EQ(read->items[0].text, u"New York - based firms , said Ann ."_s);
    EXPECT_EQ(entitiesOf(read->items[0]),
              (QList<Entity>{{u"LOC"_s, Span{4, 8}}, {u"PER"_s, Span{30, 33}}}));
}

TEST(ConllFormat, OverlappingSpansKeepTheOutermostAndAreCounted)
{
    const ExportData data =
        spanData({textItem(1, u"University of Paris hospital"_s,
                           {annotation(7, Span{14, 19}),     // nested in the next: dropped
                            annotation(3, Span{0, 19}),      // kept
                            annotation(3, Span{18, 28}),     // crosses it: dropped
                            annotation(7, Span{19, 20}),     // only the blank: dropped
                            annotation(3, Span{20, 28})})}); // kept
    const QString all = ConllFormat().lossReport(data).losses.join(u'\n');
    EXPECT_TRUE(all.contains(u"2 spans overlap"_s)) << str(all);
    EXPECT_TRUE(all.contains(u"1 spans cover no word"_s)) << str(all);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"out.conll"_s);
    ASSERT_TRUE(succeeds(ConllFormat().write(data, path)));
    EXPECT_EQ(readBytes(path), "University\tB-PER\nof\tI-PER\nParis\tI-PER\nhospital\tB-PER\n\n");
}

TEST(ConllFormat, LossReportCountsTagsConfidencesProvenanceAndEmptyTexts)
{
    ExportData data = spanData(
        {textItem(1, u"Ann met Bob"_s, {annotation(3, Span{0, 3}), annotation(3, Span{8, 11})}),
         textItem(2, u"  "_s, {})});
    LossReport report = ConllFormat().lossReport(data);
    ASSERT_EQ(report.losses.size(), 1) << str(report.losses.join(u"; "_s));
    EXPECT_TRUE(report.losses[0].startsWith(u"1 texts hold no word"_s));

    data.items.removeLast();
    EXPECT_TRUE(ConllFormat().lossReport(data).isEmpty());
    data.items[0].annotations.append(annotation(3, ClassTag{}));
    data.items[0].annotations[1] = annotation(3, Span{8, 11}, 0.8); // a machine label
    report = ConllFormat().lossReport(data);
    ASSERT_EQ(report.losses.size(), 3) << str(report.losses.join(u"; "_s));
    EXPECT_EQ(report.losses[0], u"1 class labels are not written: CoNLL carries text spans only"_s);
    EXPECT_EQ(report.losses[1], u"confidences are not kept: 1 labels have one"_s);
    EXPECT_TRUE(report.losses[2].startsWith(u"label provenance"_s));
}

TEST(ConllFormat, CancelledWriteLeavesNoFileAndCancelledReadStops)
{
    const ExportData data =
        spanData({textItem(1, u"Ann"_s, {annotation(3, Span{0, 3})}), textItem(2, u"Bob"_s, {})});
    const Progress cancelAtSecond([](qint64 done, qint64) { return done < 1; });
    QTemporaryDir dir;
    const QString path = dir.filePath(u"out.conll"_s);
    const Result<void> written = ConllFormat().write(data, path, cancelAtSecond);
    ASSERT_FALSE(written.ok());
    EXPECT_TRUE(isFormatCancelled(written.error()));
    EXPECT_TRUE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());

    const Result<FormatReadResult> read =
        ConllFormat().read(golden(u"conll2003"_s), cancelAtSecond);
    ASSERT_FALSE(read.ok());
    EXPECT_TRUE(isFormatCancelled(read.error()));
}

TEST(ConllFormat, UnknownClassFailsAndKeepsTheOldFile)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"out.conll"_s);
    ExportData data = spanData({textItem(1, u"Ann"_s, {annotation(3, Span{0, 3})})});
    ASSERT_TRUE(succeeds(ConllFormat().write(data, path)));
    data.items[0].annotations.append(annotation(99, Span{0, 3}));
    EXPECT_TRUE(failsMentioning(ConllFormat().write(data, path), {u"99"_s, u"texts.jsonl:1"_s}));
    EXPECT_EQ(readBytes(path), "Ann\tB-PER\n\n");
    EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{u"out.conll"_s});
}

TEST(ConllFormat, ExportFromAProjectImportsBackOntoTextsWithTheSameSpacing)
{
    QTemporaryDir dir;
    auto store = ProjectStore::create(dir.filePath(u"project"_s));
    ASSERT_TRUE(succeeds(store));
    const Result<LabelTask> task = (*store)->addTask(u"ner"_s, TaskType::Spans, {u"PER"_s});
    ASSERT_TRUE(succeeds(task));
    QList<Item> items;
    for (const QString &text : {u"Zoe\u0308 met \U0001D4B3\U0001D4B4 today"_s, u"Hello, Bob."_s}) {
        Item item;
        item.kind = ItemKind::Text;
        item.text = text;
        item.hash = textHash(text);
        item.sourceRef = u"in.txt:%1"_s.arg(items.size() + 1);
        items.append(item);
    }
    const auto added = (*store)->addItems(items);
    ASSERT_TRUE(succeeds(added));
    ASSERT_EQ(added->addedIds.size(), 2);
    QList<Annotation> annotations;
    for (const auto &[item, span] :
         {std::pair{0, Span{0, 4}}, std::pair{0, Span{9, 11}}, std::pair{1, Span{7, 10}}}) {
        Annotation a;
        a.itemId = added->addedIds[item];
        a.taskId = task->id;
        a.classId = task->classes[0].id;
        a.shape = span;
        annotations.append(a);
    }
    ASSERT_TRUE(succeeds((*store)->addAnnotations(annotations)));

    const QString out = dir.filePath(u"export/ner.conll"_s);
    const ConllFormat format; // the plan points at it
    ExportOptions options;
    options.taskId = task->id;
    const Result<ExportPlan> exportPlan = planExport(**store, format, out, options);
    ASSERT_TRUE(succeeds(exportPlan));
    ASSERT_EQ(exportPlan->loss.losses.size(), 1) << str(exportPlan->loss.losses.join(u"; "_s));
    EXPECT_TRUE(exportPlan->loss.losses[0].contains(u"whitespace of 1 texts"_s));
    ASSERT_TRUE(succeeds(runExport(*exportPlan)));

    AnnotationImportOptions importOptions;
    importOptions.taskId = task->id;
    const Result<AnnotationImportPlan> importPlan =
        planAnnotationImport(**store, format, out, importOptions);
    ASSERT_TRUE(succeeds(importPlan));
    EXPECT_TRUE(importPlan->problems.isEmpty()) << str(importPlan->problems.value(0).reason);
    // The single-spaced text comes back as itself; "Hello, Bob." comes back as
    // "Hello , Bob ." and is a new text, as the loss report said.
    EXPECT_EQ(importPlan->matchedItems, 1);
    EXPECT_EQ(importPlan->alreadyPresent, 2);
    EXPECT_EQ(importPlan->missingItems, 1);
    EXPECT_EQ(importPlan->annotations, 1);
}

} // namespace
} // namespace fieldmark
