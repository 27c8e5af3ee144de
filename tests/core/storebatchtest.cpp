// ProjectStore: edits grouped into one transaction, batches of annotations, and the format
// attributes kept beside a shape.
#include "core/store/projectstore.h"

#include <QJsonArray>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

class StoreBatchTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        auto store = ProjectStore::create(m_dir.path());
        ASSERT_TRUE(store) << store.errorString().toStdString();
        m_store = std::move(store).value();
        auto task = m_store->addTask(u"objects"_s, TaskType::Boxes, {u"cat"_s, u"dog"_s});
        ASSERT_TRUE(task);
        m_task = std::move(task).value();
        for (const QString &name : {u"a"_s, u"b"_s}) {
            Item item;
            item.path = u"/data/"_s + name + u".png"_s;
            item.hash = "sha1:" + name.toLatin1();
            item.width = 100;
            item.height = 80;
            auto added = m_store->addItems({item});
            ASSERT_TRUE(added);
            m_items.append(added->addedIds.constFirst());
        }
    }

    Annotation box(qint64 item, int classIndex, double x)
    {
        Annotation a;
        a.itemId = item;
        a.taskId = m_task.id;
        a.classId = m_task.classes[classIndex].id;
        a.shape = Box{x, 1, 10, 10};
        return a;
    }

    qsizetype annotationCount() const { return m_store->taskAnnotations(m_task.id).size(); }

    QTemporaryDir m_dir;
    std::unique_ptr<ProjectStore> m_store;
    LabelTask m_task;
    QList<qint64> m_items;
};

TEST_F(StoreBatchTest, BatchAddsEveryAnnotationWithOneEvent)
{
    const qint64 lastEvent = m_store->events().constLast().id;
    auto ids = m_store->addAnnotations(
        {box(m_items[0], 0, 1), box(m_items[0], 1, 20), box(m_items[1], 0, 5)}, u"boxes.json"_s);
    ASSERT_TRUE(ids) << ids.errorString().toStdString();
    ASSERT_EQ(ids->size(), 3);
    EXPECT_EQ(std::get<Box>(m_store->annotation(ids->at(1))->shape).x, 20);
    EXPECT_EQ(m_store->annotations(m_items[1], m_task.id).size(), 1);
    const QList<Event> events = m_store->events(lastEvent);
    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events[0].kind, u"annotation.add-batch"_s);
    EXPECT_TRUE(events[0].payload.contains(u"boxes.json"_s));
}

TEST_F(StoreBatchTest, OneInvalidAnnotationKeepsTheWholeBatchOut)
{
    Annotation outside = box(m_items[1], 0, 95); // reaches past the 100 px wide image
    auto ids = m_store->addAnnotations({box(m_items[0], 0, 1), outside});
    ASSERT_FALSE(ids);
    EXPECT_TRUE(ids.errorString().contains(u"annotation 2 of 2"_s))
        << ids.errorString().toStdString();
    EXPECT_EQ(annotationCount(), 0);
}

TEST_F(StoreBatchTest, TransactionSavesAllEditsOrNone)
{
    auto failed = m_store->transact([&]() -> Result<void> {
        if (auto c = m_store->addClass(m_task.id, u"bird"_s); !c)
            return c.error();
        if (auto a = m_store->addAnnotation(box(m_items[0], 0, 1)); !a)
            return a.error();
        return makeError(u"stopped on purpose"_s);
    });
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.errorString(), u"stopped on purpose"_s);
    EXPECT_EQ(annotationCount(), 0);
    EXPECT_EQ(m_store->task(m_task.id)->classes.size(), 2);

    auto done = m_store->transact([&]() -> Result<void> {
        if (auto c = m_store->addClass(m_task.id, u"bird"_s); !c)
            return c.error();
        // A failing edit inside undoes only itself; the caller decides to go on.
        EXPECT_FALSE(m_store->addAnnotation(box(m_items[0], 0, 99)));
        if (auto a = m_store->addAnnotation(box(m_items[0], 0, 1)); !a)
            return a.error();
        return {};
    });
    ASSERT_TRUE(done) << done.errorString().toStdString();
    EXPECT_EQ(annotationCount(), 1);
    EXPECT_EQ(m_store->task(m_task.id)->classes.size(), 3);
    // The connection is back to one transaction per edit.
    ASSERT_TRUE(m_store->addAnnotation(box(m_items[1], 1, 3)));
    EXPECT_EQ(annotationCount(), 2);
}

TEST_F(StoreBatchTest, AnotherConnectionSeesNothingUntilTheTransactionEnds)
{
    auto other = ProjectStore::open(m_dir.path());
    ASSERT_TRUE(other);
    auto done = m_store->transact([&]() -> Result<void> {
        if (auto a = m_store->addAnnotation(box(m_items[0], 0, 1)); !a)
            return a.error();
        EXPECT_TRUE((*other)->taskAnnotations(m_task.id).isEmpty());
        return {};
    });
    ASSERT_TRUE(done);
    EXPECT_EQ((*other)->taskAnnotations(m_task.id).size(), 1);
}

TEST_F(StoreBatchTest, AttributesRoundTripThroughAddUpdateAndBatch)
{
    Annotation a = box(m_items[0], 0, 1);
    a.attributes = QJsonObject{{u"difficult"_s, true}, {u"flags"_s, QJsonArray{u"x"_s}}};
    auto id = m_store->addAnnotation(a);
    ASSERT_TRUE(id);
    EXPECT_EQ(m_store->annotation(*id)->attributes, a.attributes);

    Annotation changed = *m_store->annotation(*id);
    changed.attributes = QJsonObject{{u"truncated"_s, true}};
    ASSERT_TRUE(m_store->updateAnnotation(changed));
    EXPECT_EQ(m_store->annotation(*id)->attributes, changed.attributes);

    Annotation plain = box(m_items[1], 1, 2);
    auto batch = m_store->addAnnotations({a, plain});
    ASSERT_TRUE(batch);
    EXPECT_EQ(m_store->annotation(batch->at(0))->attributes, a.attributes);
    EXPECT_TRUE(m_store->annotation(batch->at(1))->attributes.isEmpty());
}

TEST_F(StoreBatchTest, ItemsComeInOneListInIdOrder)
{
    const QList<Item> items = m_store->items(ItemKind::Image);
    ASSERT_EQ(items.size(), 2);
    EXPECT_EQ(items[0].id, m_items[0]);
    EXPECT_EQ(items[1].path, u"/data/b.png"_s);
    EXPECT_EQ(items[1].width, 100);
    EXPECT_TRUE(m_store->items(ItemKind::Text).isEmpty());
    const QList<Item> chosen = m_store->items(QList<qint64>{m_items[1], 999, m_items[1]});
    ASSERT_EQ(chosen.size(), 1);
    EXPECT_EQ(chosen[0].id, m_items[1]);
}

} // namespace
} // namespace fieldmark
