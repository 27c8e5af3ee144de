// ProjectStore::itemIds(ItemFilter) and itemLabelStates: the browser's filters in SQL.
#include "core/store/projectstore.h"

#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace fieldmark;

namespace {

class StoreFilterTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        auto store = ProjectStore::create(m_dir.path());
        ASSERT_TRUE(store) << store.errorString().toStdString();
        m_store = std::move(store).value();
        auto task = m_store->addTask(QStringLiteral("things"), TaskType::Boxes,
                                     {QStringLiteral("car"), QStringLiteral("tree")});
        ASSERT_TRUE(task);
        m_task = *task;

        QList<Item> items;
        const QStringList names = {QStringLiteral("plain.png"),    QStringLiteral("human.png"),
                                   QStringLiteral("pending.png"),  QStringLiteral("accepted.png"),
                                   QStringLiteral("rejected.png"), QStringLiteral("skipped.png"),
                                   QStringLiteral("50%_off.png")};
        for (const QString &name : names) {
            Item item;
            item.path = QStringLiteral("/data/") + name;
            item.hash = "sha1:" + name.toLatin1();
            item.width = 100;
            item.height = 100;
            items.append(item);
        }
        Item text;
        text.kind = ItemKind::Text;
        text.text = QStringLiteral("A Tree by the road");
        text.hash = "sha1:text";
        items.append(text);
        auto added = m_store->addItems(items);
        ASSERT_TRUE(added);
        m_ids = added->addedIds;
        ASSERT_EQ(m_ids.size(), 8);

        add(m_ids[1], 0, LabelState::Human);
        add(m_ids[1], 1, LabelState::Rejected, 0.4); // a person's label wins over a rejection
        add(m_ids[2], 1, LabelState::Machine, 0.7);
        add(m_ids[2], 0, LabelState::Human); // a pending machine label wins over everything
        add(m_ids[3], 0, LabelState::MachineAccepted, 0.9);
        add(m_ids[4], 1, LabelState::Rejected, 0.3);
        add(m_ids[5], 1, LabelState::Human);
        ASSERT_TRUE(m_store->setSkipped(m_ids[5], m_task.id, QStringLiteral("blurred")));
    }

    void add(qint64 item, int classIndex, LabelState state, std::optional<double> confidence = {})
    {
        Annotation a;
        a.itemId = item;
        a.taskId = m_task.id;
        a.classId = m_task.classes.at(classIndex).id;
        a.shape = Box{1, 1, 10, 10};
        a.provenance.state = state;
        a.provenance.confidence = confidence;
        auto id = m_store->addAnnotation(a);
        ASSERT_TRUE(id) << id.errorString().toStdString();
    }

    QList<qint64> idsIn(ItemLabelState state) const
    {
        ItemFilter filter;
        filter.kind = ItemKind::Image;
        filter.taskId = m_task.id;
        filter.states = {state};
        return m_store->itemIds(filter);
    }

    QTemporaryDir m_dir;
    std::unique_ptr<ProjectStore> m_store;
    LabelTask m_task;
    QList<qint64> m_ids;
};

} // namespace

TEST_F(StoreFilterTest, EachStateListsTheItemsTaskStatusCountsThere)
{
    EXPECT_EQ(idsIn(ItemLabelState::Unlabeled), (QList<qint64>{m_ids[0], m_ids[6]}));
    EXPECT_EQ(idsIn(ItemLabelState::Human), (QList<qint64>{m_ids[1]}));
    EXPECT_EQ(idsIn(ItemLabelState::AwaitingReview), (QList<qint64>{m_ids[2]}));
    EXPECT_EQ(idsIn(ItemLabelState::Accepted), (QList<qint64>{m_ids[3]}));
    EXPECT_EQ(idsIn(ItemLabelState::Rejected), (QList<qint64>{m_ids[4]}));
    EXPECT_EQ(idsIn(ItemLabelState::Skipped), (QList<qint64>{m_ids[5]}));

    const TaskStatus status = m_store->taskStatus(m_task.id);
    EXPECT_EQ(status.unlabeled, 2);
    EXPECT_EQ(status.human, 1);
    EXPECT_EQ(status.awaitingReview, 1);
    EXPECT_EQ(status.accepted, 1);
    EXPECT_EQ(status.rejected, 1);
    EXPECT_EQ(status.skipped, 1);

    ItemFilter needsPerson;
    needsPerson.kind = ItemKind::Image;
    needsPerson.taskId = m_task.id;
    needsPerson.states = {ItemLabelState::Unlabeled, ItemLabelState::Rejected};
    EXPECT_EQ(m_store->itemIds(needsPerson), (QList<qint64>{m_ids[0], m_ids[4], m_ids[6]}));
}

TEST_F(StoreFilterTest, StatesFollowEdits)
{
    EXPECT_EQ(m_store->itemLabelStates(m_task.id, {m_ids[0]}).value(m_ids[0]),
              ItemLabelState::Unlabeled);
    add(m_ids[0], 0, LabelState::Machine, 0.5);
    const QHash<qint64, ItemLabelState> states =
        m_store->itemLabelStates(m_task.id, {m_ids[0], m_ids[3], m_ids[5], 9999});
    EXPECT_EQ(states.size(), 3); // the unknown id is left out
    EXPECT_EQ(states.value(m_ids[0]), ItemLabelState::AwaitingReview);
    EXPECT_EQ(states.value(m_ids[3]), ItemLabelState::Accepted);
    EXPECT_EQ(states.value(m_ids[5]), ItemLabelState::Skipped);
    EXPECT_TRUE(m_store->itemLabelStates(m_task.id, {}).isEmpty());
}

TEST_F(StoreFilterTest, ClassFilterIgnoresRejectedLabels)
{
    ItemFilter filter;
    filter.taskId = m_task.id;
    filter.classId = m_task.classes.at(1).id; // tree
    // Item 1's tree was rejected and item 4 holds only a rejected tree.
    EXPECT_EQ(m_store->itemIds(filter), (QList<qint64>{m_ids[2], m_ids[5]}));
    filter.states = {ItemLabelState::AwaitingReview};
    EXPECT_EQ(m_store->itemIds(filter), (QList<qint64>{m_ids[2]}));
}

TEST_F(StoreFilterTest, SearchMatchesPathsAndTextsLiterally)
{
    ItemFilter filter;
    filter.search = QStringLiteral("TREE");
    EXPECT_EQ(m_store->itemIds(filter), (QList<qint64>{m_ids[7]})); // the text, any case
    filter.search = QStringLiteral("pending");
    EXPECT_EQ(m_store->itemIds(filter), (QList<qint64>{m_ids[2]}));
    // % and _ are characters to find, not wildcards.
    filter.search = QStringLiteral("50%_");
    EXPECT_EQ(m_store->itemIds(filter), (QList<qint64>{m_ids[6]}));
    filter.search = QStringLiteral("%");
    EXPECT_EQ(m_store->itemIds(filter), (QList<qint64>{m_ids[6]}));
    filter.search = QStringLiteral("  ");
    EXPECT_EQ(m_store->itemIds(filter).size(), 8); // blank: no filter
    filter.search = QStringLiteral("png");
    filter.kind = ItemKind::Text;
    EXPECT_TRUE(m_store->itemIds(filter).isEmpty());
}

TEST_F(StoreFilterTest, NoFilterListsEverythingInIdOrder)
{
    EXPECT_EQ(m_store->itemIds(ItemFilter{}), m_store->itemIds());
    ItemFilter images;
    images.kind = ItemKind::Image;
    EXPECT_EQ(m_store->itemIds(images), m_store->itemIds(ItemKind::Image));
    // A state filter without a task does not filter.
    images.states = {ItemLabelState::Human};
    EXPECT_EQ(m_store->itemIds(images).size(), 7);
}

TEST_F(StoreFilterTest, AwaitingReviewListsTheLeastSureMachineLabelsFirst)
{
    // Item 2 holds a pending label at 0.7; item 0 gets one at 0.95 and another at 0.2 (an
    // item's least sure pending label counts), item 6 one without a confidence (last).
    add(m_ids[0], 0, LabelState::Machine, 0.95);
    add(m_ids[0], 1, LabelState::Machine, 0.2);
    add(m_ids[6], 0, LabelState::Machine);
    EXPECT_EQ(idsIn(ItemLabelState::AwaitingReview), (QList<qint64>{m_ids[0], m_ids[2], m_ids[6]}));
    // Other lists stay in id order.
    ItemFilter both;
    both.kind = ItemKind::Image;
    both.taskId = m_task.id;
    both.states = {ItemLabelState::AwaitingReview, ItemLabelState::Human};
    EXPECT_EQ(m_store->itemIds(both), (QList<qint64>{m_ids[0], m_ids[1], m_ids[2], m_ids[6]}));
}
