#include "core/store/projectstore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <opencv2/core.hpp>

#include <gtest/gtest.h>

using namespace fieldmark;

namespace {

Item imageItem(const QString &name, int w = 640, int h = 480)
{
    Item item;
    item.kind = ItemKind::Image;
    item.path = QStringLiteral("/data/") + name;
    item.fileSize = 1234;
    item.hash = "sha1:" + name.toLatin1();
    item.width = w;
    item.height = h;
    return item;
}

class StoreTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        auto store = ProjectStore::create(m_dir.path());
        ASSERT_TRUE(store) << store.errorString().toStdString();
        m_store = std::move(store).value();
    }

    qint64 addImage(const QString &name)
    {
        auto added = m_store->addItems({imageItem(name)});
        EXPECT_TRUE(added) << added.errorString().toStdString();
        return added && !added->addedIds.isEmpty() ? added->addedIds.front() : 0;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<ProjectStore> m_store;
};

} // namespace

TEST_F(StoreTest, CreatesFolderLayoutAndSchema)
{
    EXPECT_TRUE(QFile::exists(QDir(m_dir.path()).filePath(QStringLiteral("project.fieldmark"))));
    EXPECT_TRUE(QDir(m_store->cacheDirectory()).exists());
    EXPECT_EQ(m_store->schemaVersion(), ProjectStore::currentSchemaVersion());
    EXPECT_TRUE(m_store->integrityProblems().isEmpty());
}

TEST_F(StoreTest, OpeningAFolderWithoutProjectFailsWithPath)
{
    QTemporaryDir empty;
    auto opened = ProjectStore::open(empty.path());
    ASSERT_FALSE(opened);
    EXPECT_TRUE(opened.errorString().contains(empty.path()));
    EXPECT_TRUE(opened.errorString().contains(QStringLiteral("not a Fieldmark project")));
}

TEST_F(StoreTest, OpeningAGarbageDatabaseIsRefused)
{
    QTemporaryDir dir;
    QFile file(QDir(dir.path()).filePath(QStringLiteral("project.fieldmark")));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(8192, 'x'));
    file.close();
    auto opened = ProjectStore::open(dir.path());
    ASSERT_FALSE(opened);
    EXPECT_TRUE(opened.errorString().contains(QStringLiteral("project.fieldmark")))
        << opened.errorString().toStdString();
}

TEST_F(StoreTest, TasksAndClassesRoundTrip)
{
    auto task = m_store->addTask(QStringLiteral("animals"), TaskType::Boxes,
                                 {QStringLiteral("cat"), QStringLiteral("dog")});
    ASSERT_TRUE(task) << task.errorString().toStdString();
    ASSERT_EQ(task->classes.size(), 2);
    EXPECT_EQ(task->classes[0].shortcut, QStringLiteral("1"));
    EXPECT_TRUE(task->classes[1].color.isValid());

    auto again = m_store->taskByName(QStringLiteral("animals"));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->type, TaskType::Boxes);
    EXPECT_EQ(again->classNames(), QStringLiteral("cat, dog"));

    EXPECT_FALSE(m_store->addTask(QStringLiteral("animals"), TaskType::Boxes, {}));
    EXPECT_FALSE(m_store->addTask(QStringLiteral("x"), TaskType::Boxes,
                                  {QStringLiteral("a"), QStringLiteral("a")}));
    auto added = m_store->addClass(task->id, QStringLiteral("bird"));
    ASSERT_TRUE(added);
    EXPECT_EQ(added->position, 2);
    EXPECT_EQ(added->shortcut, QStringLiteral("3"));
    EXPECT_FALSE(m_store->addClass(task->id, QStringLiteral("bird")));
}

TEST_F(StoreTest, RenameKeepsAnnotations)
{
    auto task = m_store->addTask(QStringLiteral("t"), TaskType::Boxes, {QStringLiteral("cat")});
    ASSERT_TRUE(task);
    const qint64 item = addImage(QStringLiteral("a"));
    Annotation a{0, item, task->id, task->classes[0].id, Box{10, 10, 50, 50}, {}};
    auto id = m_store->addAnnotation(a);
    ASSERT_TRUE(id) << id.errorString().toStdString();

    ASSERT_TRUE(m_store->renameClass(task->id, QStringLiteral("cat"), QStringLiteral("feline")));
    auto renamed = m_store->task(task->id);
    ASSERT_TRUE(renamed);
    EXPECT_EQ(renamed->classes[0].name, QStringLiteral("feline"));
    EXPECT_EQ(renamed->classes[0].id, task->classes[0].id);
    const auto annotations = m_store->annotations(item, task->id);
    ASSERT_EQ(annotations.size(), 1);
    EXPECT_EQ(annotations[0].classId, task->classes[0].id);

    auto missing = m_store->renameClass(task->id, QStringLiteral("cat"), QStringLiteral("x"));
    ASSERT_FALSE(missing);
    EXPECT_TRUE(missing.errorString().contains(QStringLiteral("feline")));
}

TEST_F(StoreTest, DuplicateImagesAreReportedNotAdded)
{
    auto first =
        m_store->addItems({imageItem(QStringLiteral("a")), imageItem(QStringLiteral("b"))});
    ASSERT_TRUE(first);
    EXPECT_EQ(first->addedIds.size(), 2);
    Item copy = imageItem(QStringLiteral("a"));
    copy.path = QStringLiteral("/elsewhere/a-copy.png");
    auto second =
        m_store->addItems({copy, imageItem(QStringLiteral("c")), imageItem(QStringLiteral("c"))});
    ASSERT_TRUE(second);
    EXPECT_EQ(second->addedIds.size(), 1);
    ASSERT_EQ(second->duplicates.size(), 2);
    EXPECT_EQ(second->duplicates[0].first, 0);
    EXPECT_EQ(second->duplicates[0].second, first->addedIds[0]);
    EXPECT_EQ(second->duplicates[1].first, 2);
    EXPECT_EQ(m_store->itemCount(), 3);
}

TEST_F(StoreTest, TextsRepeatAcrossRecordsButNotFromTheSameRecord)
{
    Item text;
    text.kind = ItemKind::Text;
    text.text = QStringLiteral("Yes.");
    text.hash = "sha1:yes";
    text.path = QStringLiteral("/c.jsonl");
    text.sourceRef = QStringLiteral("/c.jsonl:1");
    Item other = text;
    other.sourceRef = QStringLiteral("/c.jsonl:2");
    auto added = m_store->addItems({text, other});
    ASSERT_TRUE(added);
    EXPECT_EQ(added->addedIds.size(), 2);
    auto again = m_store->addItems({text});
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->addedIds.isEmpty());
    EXPECT_EQ(again->duplicates.size(), 1);
    auto loaded = m_store->item(added->addedIds[0]);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->text, QStringLiteral("Yes."));
    EXPECT_EQ(loaded->kind, ItemKind::Text);
}

TEST_F(StoreTest, InvalidAnnotationIsRefusedAndNothingStored)
{
    auto task = m_store->addTask(QStringLiteral("t"), TaskType::Boxes, {QStringLiteral("cat")});
    ASSERT_TRUE(task);
    const qint64 item = addImage(QStringLiteral("a"));
    auto outside = m_store->addAnnotation(
        {0, item, task->id, task->classes[0].id, Box{600, 400, 100, 100}, {}});
    ASSERT_FALSE(outside);
    EXPECT_TRUE(outside.errorString().contains(QStringLiteral("640x480")));
    auto unknownClass = m_store->addAnnotation({0, item, task->id, 999, Box{1, 1, 5, 5}, {}});
    ASSERT_FALSE(unknownClass);
    EXPECT_TRUE(unknownClass.errorString().contains(QStringLiteral("cat")));
    EXPECT_TRUE(m_store->annotations(item, task->id).isEmpty());
}

TEST_F(StoreTest, SingleLabelReplacesMultiLabelAccumulates)
{
    auto single = m_store->addTask(QStringLiteral("kind"), TaskType::ImageClassification,
                                   {QStringLiteral("cat"), QStringLiteral("dog")});
    auto multi = m_store->addTask(QStringLiteral("tags"), TaskType::ImageMultiLabel,
                                  {QStringLiteral("indoor"), QStringLiteral("night")});
    ASSERT_TRUE(single && multi);
    const qint64 item = addImage(QStringLiteral("a"));
    ASSERT_TRUE(
        m_store->addAnnotation({0, item, single->id, single->classes[0].id, ClassTag{}, {}}));
    ASSERT_TRUE(
        m_store->addAnnotation({0, item, single->id, single->classes[1].id, ClassTag{}, {}}));
    auto labels = m_store->annotations(item, single->id);
    ASSERT_EQ(labels.size(), 1);
    EXPECT_EQ(labels[0].classId, single->classes[1].id);

    ASSERT_TRUE(m_store->addAnnotation({0, item, multi->id, multi->classes[0].id, ClassTag{}, {}}));
    ASSERT_TRUE(m_store->addAnnotation({0, item, multi->id, multi->classes[1].id, ClassTag{}, {}}));
    EXPECT_EQ(m_store->annotations(item, multi->id).size(), 2);
    auto twice = m_store->addAnnotation({0, item, multi->id, multi->classes[1].id, ClassTag{}, {}});
    ASSERT_FALSE(twice);
    EXPECT_TRUE(twice.errorString().contains(QStringLiteral("night")));
}

TEST_F(StoreTest, AnnotationShapesAndProvenanceRoundTrip)
{
    auto task =
        m_store->addTask(QStringLiteral("seg"), TaskType::Segmentation, {QStringLiteral("a")});
    ASSERT_TRUE(task);
    const qint64 item = addImage(QStringLiteral("a"));
    cv::Mat pixels = cv::Mat::zeros(20, 30, CV_8UC1);
    pixels(cv::Rect(5, 5, 10, 8)).setTo(255);
    Provenance machine;
    machine.state = LabelState::Machine;
    machine.modelId = 7;
    machine.confidence = 0.93;
    Annotation mask{
        0, item, task->id, task->classes[0].id, Mask{RleMask::fromMat(pixels, {100, 50})}, machine};
    auto id = m_store->addAnnotation(mask);
    ASSERT_TRUE(id) << id.errorString().toStdString();
    auto loaded = m_store->annotation(*id);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(std::get<Mask>(loaded->shape), std::get<Mask>(mask.shape));
    EXPECT_EQ(loaded->provenance.state, LabelState::Machine);
    EXPECT_EQ(loaded->provenance.modelId, 7);
    ASSERT_TRUE(loaded->provenance.confidence.has_value());
    EXPECT_DOUBLE_EQ(*loaded->provenance.confidence, 0.93);

    // A reviewer accepts it: the provenance changes, the shape stays.
    Annotation accepted = *loaded;
    accepted.provenance.state = LabelState::MachineAccepted;
    ASSERT_TRUE(m_store->updateAnnotation(accepted));
    EXPECT_EQ(m_store->annotation(*id)->provenance.state, LabelState::MachineAccepted);

    ASSERT_TRUE(m_store->removeAnnotation(*id));
    EXPECT_FALSE(m_store->annotation(*id));
    EXPECT_FALSE(m_store->removeAnnotation(*id));
}

TEST_F(StoreTest, StatusCountsEachItemOnce)
{
    auto task = m_store->addTask(QStringLiteral("t"), TaskType::Boxes,
                                 {QStringLiteral("cat"), QStringLiteral("dog")});
    ASSERT_TRUE(task);
    QList<qint64> items;
    for (int i = 0; i < 6; ++i)
        items.append(addImage(QStringLiteral("img%1").arg(i)));
    const qint64 cat = task->classes[0].id, dog = task->classes[1].id;
    auto add = [&](qint64 item, qint64 cls, LabelState state) {
        Provenance p;
        p.state = state;
        ASSERT_TRUE(m_store->addAnnotation({0, item, task->id, cls, Box{1, 1, 10, 10}, p}));
    };
    add(items[0], cat, LabelState::Human);
    add(items[0], dog, LabelState::Human);
    add(items[1], cat, LabelState::Machine);
    add(items[1], cat, LabelState::Human); // pending review wins
    add(items[2], dog, LabelState::MachineAccepted);
    add(items[3], dog, LabelState::Rejected);
    ASSERT_TRUE(m_store->setSkipped(items[4], task->id, QStringLiteral("blurred")));

    const TaskStatus status = m_store->taskStatus(task->id);
    EXPECT_EQ(status.items, 6);
    EXPECT_EQ(status.human, 1);
    EXPECT_EQ(status.awaitingReview, 1);
    EXPECT_EQ(status.accepted, 1);
    EXPECT_EQ(status.rejected, 1);
    EXPECT_EQ(status.skipped, 1);
    EXPECT_EQ(status.unlabeled, 1);
    EXPECT_EQ(status.annotationsPerClass.value(cat), 3);
    EXPECT_EQ(status.annotationsPerClass.value(dog), 2); // the rejected one does not count
}

TEST_F(StoreTest, ASkipSaysWhetherAPersonOrAModelMadeIt)
{
    auto task =
        m_store->addTask(QStringLiteral("t"), TaskType::ImageMultiLabel, {QStringLiteral("cat")});
    ASSERT_TRUE(task);
    const qint64 person = addImage(QStringLiteral("a")), model = addImage(QStringLiteral("b"));
    auto annotator = m_store->annotatorId(QStringLiteral("model: job"), true);
    auto someone = m_store->annotatorId(QStringLiteral("ann"));
    ASSERT_TRUE(annotator && someone);
    ASSERT_TRUE(m_store->setSkipped(person, task->id, QStringLiteral("none"), *someone));
    ASSERT_TRUE(m_store->setSkipped(model, task->id, QStringLiteral("none (model)"), *annotator));
    EXPECT_EQ(m_store->skippedItems(task->id), (QList<qint64>{person, model}));
    EXPECT_EQ(m_store->modelSkippedItems(task->id), QList<qint64>{model});
    EXPECT_EQ(m_store->events().constLast().annotatorId, *annotator);
    // A person marking the model's item again makes the skip theirs.
    ASSERT_TRUE(m_store->setSkipped(model, task->id, QStringLiteral("none")));
    EXPECT_TRUE(m_store->modelSkippedItems(task->id).isEmpty());
    EXPECT_EQ(m_store->taskStatus(task->id).skipped, 2);
}

TEST_F(StoreTest, EventLogRecordsEditsAndIsAppendOnly)
{
    auto task = m_store->addTask(QStringLiteral("t"), TaskType::Boxes, {QStringLiteral("cat")});
    ASSERT_TRUE(task);
    const qint64 item = addImage(QStringLiteral("a"));
    auto id = m_store->addAnnotation({0, item, task->id, task->classes[0].id, Box{1, 1, 4, 4}, {}});
    ASSERT_TRUE(id);
    ASSERT_TRUE(m_store->removeAnnotation(*id));
    const auto events = m_store->events();
    QStringList kinds;
    for (const Event &e : events)
        kinds.append(e.kind);
    EXPECT_EQ(kinds, (QStringList{QStringLiteral("task.add"), QStringLiteral("annotation.add"),
                                  QStringLiteral("annotation.remove")}));
    EXPECT_EQ(events[1].itemId, item);

    // Even a direct SQL edit cannot rewrite history.
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
    db.setDatabaseName(m_store->databasePath());
    ASSERT_TRUE(db.open());
    {
        QSqlQuery query(db);
        EXPECT_FALSE(query.exec(QStringLiteral("DELETE FROM events")));
        EXPECT_FALSE(query.exec(QStringLiteral("UPDATE events SET kind = 'x'")));
    }
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    EXPECT_EQ(m_store->events().size(), 3);
}

TEST_F(StoreTest, TwoStoresOnOneProjectSeeEachOthersWrites)
{
    auto second = ProjectStore::open(m_dir.path());
    ASSERT_TRUE(second) << second.errorString().toStdString();
    addImage(QStringLiteral("a"));
    EXPECT_EQ((*second)->itemCount(), 1);
    auto added = (*second)->addItems({imageItem(QStringLiteral("b"))});
    ASSERT_TRUE(added);
    EXPECT_EQ(m_store->itemCount(), 2);
}

TEST(RelinkTest, MovedFolderIsRelinkedWhenFilesMatch)
{
    QTemporaryDir project, media;
    auto store = ProjectStore::create(project.path());
    ASSERT_TRUE(store);
    const QString oldRoot = QDir(media.path()).filePath(QStringLiteral("old"));
    const QString newRoot = QDir(media.path()).filePath(QStringLiteral("new 100%_done"));
    auto makeItem = [&](const QString &relative, const QByteArray &content) {
        Item item;
        item.kind = ItemKind::Image;
        item.path = oldRoot + u'/' + relative;
        item.fileSize = content.size();
        item.hash = "sha1:" + QCryptographicHash::hash(content, QCryptographicHash::Sha1).toHex();
        item.width = item.height = 1;
        return item;
    };
    auto write = [&](const QString &path, const QByteArray &content) {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile file(path);
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(content);
    };
    ASSERT_TRUE((*store)->addItems(
        {makeItem(QStringLiteral("a.png"), "aaaa"), makeItem(QStringLiteral("sub/b.png"), "bbbb"),
         makeItem(QStringLiteral("c.png"), "cccc"), makeItem(QStringLiteral("d.png"), "dddd")}));
    write(newRoot + QStringLiteral("/a.png"), "aaaa");
    write(newRoot + QStringLiteral("/sub/b.png"), "bbbb");
    write(newRoot + QStringLiteral("/d.png"), "DDDD"); // same size, other content

    auto relinked = (*store)->relinkItems(oldRoot, newRoot, /*verifyContent=*/true);
    ASSERT_TRUE(relinked) << relinked.errorString().toStdString();
    EXPECT_EQ(relinked->relinked, 2);
    ASSERT_EQ(relinked->missing.size(), 1);
    EXPECT_TRUE(relinked->missing[0].path.endsWith(QStringLiteral("c.png")));
    ASSERT_EQ(relinked->changed.size(), 1);
    EXPECT_TRUE(relinked->changed[0].reason.contains(QStringLiteral("different content")));

    QStringList paths;
    for (qint64 id : (*store)->itemIds())
        paths.append((*store)->item(id)->path);
    EXPECT_EQ(paths[0], newRoot + QStringLiteral("/a.png"));
    EXPECT_EQ(paths[1], newRoot + QStringLiteral("/sub/b.png"));
    EXPECT_EQ(paths[2], oldRoot + QStringLiteral("/c.png")); // left where it was
    EXPECT_EQ(paths[3], oldRoot + QStringLiteral("/d.png"));
    EXPECT_FALSE(
        (*store)->relinkItems(oldRoot, QDir(media.path()).filePath(QStringLiteral("nope"))));
}
