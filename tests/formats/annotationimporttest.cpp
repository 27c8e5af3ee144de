// Bringing a file's labels into a project: plan first, then one transaction.
#include "core/formats/annotationimport.h"
#include "core/formats/formatregistry.h"
#include "core/store/projectstore.h"
#include "tests/core/resultassertions.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

using test::failsMentioning;
using test::str;
using test::succeeds;

class AnnotationImportTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        auto store = ProjectStore::create(m_dir.filePath(u"project"_s));
        ASSERT_TRUE(store);
        m_store = std::move(store).value();
        auto task = m_store->addTask(u"objects"_s, TaskType::Boxes, {u"cat"_s, u"dog"_s});
        ASSERT_TRUE(task);
        m_task = *task;
        for (const QString &name : {u"a"_s, u"b"_s, u"c"_s})
            makeImage(name);
        m_coco = m_registry.find(u"coco"_s);
        ASSERT_NE(m_coco, nullptr);
    }

    void makeImage(const QString &name, int shade = 0)
    {
        QDir().mkpath(m_dir.filePath(u"data"_s));
        QImage image(100, 100, QImage::Format_RGB32);
        image.fill(QColor(shade, name.at(0).unicode(), 0));
        ASSERT_TRUE(image.save(m_dir.filePath(u"data/"_s + name + u".png"_s)));
    }

    QString writeCoco(const QByteArray &annotations, const QByteArray &categories =
                                                         R"([{"id": 1, "name": "cat"},
                                                             {"id": 2, "name": "dog"}])")
    {
        const QString path = m_dir.filePath(u"data/labels.json"_s);
        QFile file(path);
        EXPECT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(R"({"images": [
            {"id": 1, "file_name": "a.png", "width": 100, "height": 100},
            {"id": 2, "file_name": "b.png", "width": 100, "height": 100},
            {"id": 3, "file_name": "c.png", "width": 100, "height": 100}],
          "annotations": )" +
                   annotations + R"(, "categories": )" + categories + "}");
        return path;
    }

    Result<AnnotationImportPlan> plan(const QString &path)
    {
        m_options.taskId = m_task.id;
        return planAnnotationImport(*m_store, *m_coco, path, m_options);
    }

    Result<AnnotationImportSummary> import(const QString &path)
    {
        auto planned = plan(path);
        if (!planned)
            return planned.error();
        return runAnnotationImport(*m_store, *planned, m_options);
    }

    qsizetype annotationCount() const { return m_store->taskAnnotations(m_task.id).size(); }

    QTemporaryDir m_dir;
    FormatRegistry m_registry = FormatRegistry::builtIn();
    const Format *m_coco = nullptr;
    std::unique_ptr<ProjectStore> m_store;
    LabelTask m_task;
    AnnotationImportOptions m_options;
};

const QByteArray kTwoBoxes = R"([
    {"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 10, 20, 20]},
    {"id": 2, "image_id": 2, "category_id": 2, "bbox": [5, 6, 7, 8]}])";

TEST_F(AnnotationImportTest, AddsImagesAndLabelsOnceWithHumanProvenance)
{
    const QString path = writeCoco(kTwoBoxes);
    auto planned = plan(path);
    ASSERT_TRUE(succeeds(planned));
    EXPECT_EQ(planned->missingItems, 3);
    EXPECT_EQ(planned->annotations, 2);
    EXPECT_EQ(m_store->itemCount(), 0); // planning writes nothing

    auto done = runAnnotationImport(*m_store, *planned, m_options);
    ASSERT_TRUE(succeeds(done));
    EXPECT_EQ(done->itemsAdded, 3); // c.png has no label: still an item, a negative example
    EXPECT_EQ(done->annotationsAdded, 2);
    const QList<Annotation> stored = m_store->taskAnnotations(m_task.id);
    ASSERT_EQ(stored.size(), 2);
    EXPECT_EQ(std::get<Box>(stored[0].shape), (Box{10, 10, 20, 20}));
    EXPECT_EQ(stored[1].classId, m_task.classes[1].id);
    EXPECT_EQ(stored[0].provenance.state, LabelState::Human);
    EXPECT_EQ(m_store->annotatorName(stored[0].provenance.annotatorId), u"labels.json"_s);
    auto item = m_store->item(stored[0].itemId);
    ASSERT_TRUE(item);
    EXPECT_EQ(item->width, 100);
    EXPECT_EQ(item->path, m_dir.filePath(u"data/a.png"_s));

    // The same file again adds nothing.
    auto again = plan(path);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->matchedItems, 3);
    EXPECT_EQ(again->annotations, 0);
    EXPECT_EQ(again->alreadyPresent, 2);
    ASSERT_TRUE(runAnnotationImport(*m_store, *again, m_options));
    EXPECT_EQ(annotationCount(), 2);
    EXPECT_EQ(m_store->itemCount(), 3);
}

TEST_F(AnnotationImportTest, UnknownClassesAreReportedAndAddedOnlyWhenChosen)
{
    const QString path = writeCoco(R"([
        {"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 10, 20, 20]},
        {"id": 2, "image_id": 2, "category_id": 3, "bbox": [5, 6, 7, 8]}])",
                                   R"([{"id": 1, "name": "cat"}, {"id": 3, "name": "bird"}])");
    auto planned = plan(path);
    ASSERT_TRUE(succeeds(planned));
    EXPECT_EQ(planned->unknownClasses, QStringList{u"bird"_s});
    EXPECT_EQ(planned->annotations, 1);
    EXPECT_EQ(planned->skippedAnnotations, 1);
    ASSERT_TRUE(succeeds(runAnnotationImport(*m_store, *planned, m_options)));
    EXPECT_EQ(annotationCount(), 1);
    EXPECT_FALSE(m_store->task(m_task.id)->classByName(u"bird"_s));

    m_options.addUnknownClasses = true;
    auto summary = import(path);
    ASSERT_TRUE(succeeds(summary));
    EXPECT_EQ(summary->classesAdded, QStringList{u"bird"_s});
    const LabelTask task = *m_store->task(m_task.id);
    ASSERT_TRUE(task.classByName(u"bird"_s));
    EXPECT_EQ(annotationCount(), 2);
    EXPECT_EQ(m_store->taskAnnotations(m_task.id)[1].classId, task.classByName(u"bird"_s)->id);
}

TEST_F(AnnotationImportTest, ProblemsBlockTheImportUnlessTheValidPartIsChosen)
{
    const QString path = writeCoco(R"([
        {"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 10, 20, 20]},
        {"id": 2, "image_id": 2, "category_id": 1, "bbox": [90, 90, 20, 20]}])");
    auto planned = plan(path);
    ASSERT_TRUE(succeeds(planned));
    ASSERT_FALSE(planned->problems.isEmpty());
    EXPECT_TRUE(planned->problems[0].where.contains(u"labels.json"_s))
        << str(planned->problems[0].where);

    EXPECT_TRUE(failsMentioning(runAnnotationImport(*m_store, *planned, m_options),
                                {u"labels.json"_s, u"nothing was imported"_s}));
    EXPECT_EQ(m_store->itemCount(), 0);
    EXPECT_EQ(annotationCount(), 0);

    m_options.importValidPart = true;
    auto done = runAnnotationImport(*m_store, *planned, m_options);
    ASSERT_TRUE(succeeds(done));
    EXPECT_EQ(annotationCount(), 1);
    // The problems are kept with the import's record in the project.
    EXPECT_EQ(m_store->importProblems(done->importId).size(), planned->problems.size());
}

TEST_F(AnnotationImportTest, CancelLeavesTheProjectAsItWas)
{
    auto planned = plan(writeCoco(kTwoBoxes));
    ASSERT_TRUE(planned);
    m_options.addUnknownClasses = true;
    int calls = 0;
    auto done =
        runAnnotationImport(*m_store, *planned, m_options, Progress([&](qint64 done, qint64) {
            ++calls;
            return done == 0; // stop after the items went in
        }));
    ASSERT_FALSE(done);
    EXPECT_TRUE(isFormatCancelled(done.error()));
    EXPECT_GE(calls, 2);
    EXPECT_EQ(m_store->itemCount(), 0);
    EXPECT_EQ(annotationCount(), 0);
    // ...and usable: the next edit is a transaction of its own again.
    EXPECT_TRUE(succeeds(runAnnotationImport(*m_store, *planned, m_options)));
    EXPECT_EQ(annotationCount(), 2);
}

TEST_F(AnnotationImportTest, MovedImagesAreFoundByContentAndMissingOnesSkippedWhenAsked)
{
    // The project knows a.png from another folder; the file's a.png is the same picture.
    Item known;
    known.path = u"/elsewhere/a.png"_s;
    known.width = known.height = 100;
    {
        QFile file(m_dir.filePath(u"data/a.png"_s));
        ASSERT_TRUE(file.open(QIODevice::ReadOnly));
        known.hash =
            "sha1:" + QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha1).toHex();
    }
    auto added = m_store->addItems({known});
    ASSERT_TRUE(added);
    m_options.addMissingItems = false;
    auto planned = plan(writeCoco(kTwoBoxes));
    ASSERT_TRUE(succeeds(planned));
    EXPECT_EQ(planned->matchedItems, 1);
    EXPECT_EQ(planned->missingItems, 2);
    EXPECT_EQ(planned->annotations, 1);
    EXPECT_EQ(planned->skippedAnnotations, 1);
    ASSERT_TRUE(succeeds(runAnnotationImport(*m_store, *planned, m_options)));
    EXPECT_EQ(m_store->itemCount(), 1);
    const QList<Annotation> stored = m_store->taskAnnotations(m_task.id);
    ASSERT_EQ(stored.size(), 1);
    EXPECT_EQ(stored[0].itemId, added->addedIds[0]);
}

TEST_F(AnnotationImportTest, ScoredLabelsComeInAsMachineLabelsAwaitingReview)
{
    const QString path = writeCoco(R"([
        {"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 10, 20, 20], "score": 0.8}])");
    ASSERT_TRUE(succeeds(import(path)));
    const QList<Annotation> stored = m_store->taskAnnotations(m_task.id);
    ASSERT_EQ(stored.size(), 1);
    EXPECT_EQ(stored[0].provenance.state, LabelState::Machine);
    ASSERT_TRUE(stored[0].provenance.confidence.has_value());
    EXPECT_DOUBLE_EQ(*stored[0].provenance.confidence, 0.8);
    EXPECT_EQ(m_store->annotatorName(stored[0].provenance.annotatorId), u"import: labels.json"_s);
    EXPECT_EQ(m_store->taskStatus(m_task.id).awaitingReview, 1);
}

TEST_F(AnnotationImportTest, AFormatThatCannotCarryTheTaskIsRefused)
{
    auto texts = m_store->addTask(u"mood"_s, TaskType::TextClassification, {u"happy"_s});
    ASSERT_TRUE(texts);
    m_options.taskId = texts->id;
    EXPECT_TRUE(
        failsMentioning(planAnnotationImport(*m_store, *m_coco, writeCoco(kTwoBoxes), m_options),
                        {u"cannot carry"_s, u"mood"_s}));
}

} // namespace
} // namespace fieldmark
