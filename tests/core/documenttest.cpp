// ItemDocument and its commands: each edit is tested as state0, do, state1, undo, state0,
// redo, state1, in the document and in the store.
#include "core/document/itemdocument.h"
#include "core/store/projectstore.h"
#include "tests/core/resultassertions.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUndoStack>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

using test::failsMentioning;
using test::succeeds;

class DocumentTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        auto store = ProjectStore::create(m_dir.path());
        ASSERT_TRUE(store);
        m_store = std::move(store).value();
        auto boxes = m_store->addTask(u"objects"_s, TaskType::Boxes, {u"cat"_s, u"dog"_s});
        auto single =
            m_store->addTask(u"kind"_s, TaskType::ImageClassification, {u"indoor"_s, u"outdoor"_s});
        auto multi =
            m_store->addTask(u"tags"_s, TaskType::ImageMultiLabel, {u"night"_s, u"rain"_s});
        ASSERT_TRUE(boxes && single && multi);
        m_boxes = *boxes;
        m_single = *single;
        m_multi = *multi;
        Item item;
        item.path = u"/data/a.png"_s;
        item.hash = "sha1:a";
        item.width = 200;
        item.height = 100;
        auto added = m_store->addItems({item});
        ASSERT_TRUE(added);
        m_item = added->addedIds.constFirst();
        auto annotator = m_store->annotatorId(u"ada"_s);
        ASSERT_TRUE(annotator);
        m_annotator = *annotator;
    }

    std::unique_ptr<ItemDocument> open(const LabelTask &task)
    {
        auto document = ItemDocument::load(*m_store, m_item, task.id, m_annotator);
        EXPECT_TRUE(succeeds(document));
        return document ? std::move(document).value() : nullptr;
    }

    // A machine label as the labeling loop writes it.
    qint64 machineLabel(const LabelTask &task, int classIndex, Shape shape, double confidence)
    {
        Annotation a;
        a.itemId = m_item;
        a.taskId = task.id;
        a.classId = task.classes[classIndex].id;
        a.shape = std::move(shape);
        a.provenance.state = LabelState::Machine;
        a.provenance.confidence = confidence;
        auto id = m_store->addAnnotation(a);
        EXPECT_TRUE(succeeds(id));
        return id ? *id : 0;
    }

    // What a fresh connection reads: the store's truth, not the document's memory.
    QList<Annotation> stored(const LabelTask &task)
    {
        auto other = ProjectStore::open(m_dir.path());
        EXPECT_TRUE(other);
        QList<Annotation> live;
        for (const Annotation &a : (*other)->annotations(m_item, task.id)) {
            if (a.provenance.state != LabelState::Rejected)
                live.append(a);
        }
        return live;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<ProjectStore> m_store;
    LabelTask m_boxes, m_single, m_multi;
    qint64 m_item = 0;
    qint64 m_annotator = 0;
};

TEST_F(DocumentTest, AddIsSavedUndoneAndRedone)
{
    auto doc = open(m_boxes);
    QSignalSpy changes(doc.get(), &ItemDocument::changed);
    ASSERT_TRUE(doc->annotations().isEmpty()); // state0

    auto id = doc->addAnnotation(m_boxes.classes[1].id, Box{10, 20, 30, 40});
    ASSERT_TRUE(succeeds(id));
    ASSERT_EQ(doc->annotations().size(), 1); // state1, in memory...
    const QList<Annotation> saved = stored(m_boxes);
    ASSERT_EQ(saved.size(), 1); // ...and in the store
    EXPECT_EQ(std::get<Box>(saved[0].shape), (Box{10, 20, 30, 40}));
    EXPECT_EQ(saved[0].provenance.state, LabelState::Human);
    EXPECT_EQ(saved[0].provenance.annotatorId, m_annotator);
    EXPECT_EQ(changes.count(), 1);

    doc->undoStack()->undo();
    EXPECT_TRUE(doc->annotations().isEmpty());
    EXPECT_TRUE(stored(m_boxes).isEmpty());

    doc->undoStack()->redo();
    ASSERT_EQ(doc->annotations().size(), 1);
    EXPECT_EQ(doc->annotations()[0].classId, m_boxes.classes[1].id);
    EXPECT_EQ(stored(m_boxes).size(), 1);
}

TEST_F(DocumentTest, LaterEditsFollowAnAnnotationPutBackUnderANewId)
{
    auto doc = open(m_boxes);
    auto id = doc->addAnnotation(m_boxes.classes[0].id, Box{10, 10, 10, 10});
    ASSERT_TRUE(id);
    ASSERT_TRUE(succeeds(doc->changeShape(*id, Box{50, 10, 10, 10})));
    doc->undoStack()->undo(); // the move
    doc->undoStack()->undo(); // the add
    EXPECT_TRUE(stored(m_boxes).isEmpty());
    doc->undoStack()->redo(); // added again, under a new store id
    doc->undoStack()->redo(); // the move finds it all the same
    const QList<Annotation> saved = stored(m_boxes);
    ASSERT_EQ(saved.size(), 1);
    EXPECT_EQ(std::get<Box>(saved[0].shape).x, 50);
    ASSERT_EQ(doc->annotations().size(), 1);
    EXPECT_EQ(doc->annotations()[0].id, saved[0].id);
}

TEST_F(DocumentTest, OneDragIsOneUndoStep)
{
    auto doc = open(m_boxes);
    auto id = doc->addAnnotation(m_boxes.classes[0].id, Box{10, 10, 20, 20});
    ASSERT_TRUE(id);
    const int dragKey = 7;
    for (int x = 11; x <= 40; ++x)
        ASSERT_TRUE(doc->changeShape(*id, Box{double(x), 10, 20, 20}, dragKey));
    EXPECT_EQ(doc->undoStack()->count(), 2); // the add and one move
    EXPECT_EQ(std::get<Box>(stored(m_boxes)[0].shape).x, 40);

    doc->undoStack()->undo();
    EXPECT_EQ(std::get<Box>(doc->annotation(*id)->shape).x, 10);
    EXPECT_EQ(std::get<Box>(stored(m_boxes)[0].shape).x, 10);
    doc->undoStack()->redo();
    EXPECT_EQ(std::get<Box>(stored(m_boxes)[0].shape).x, 40);

    // A second drag is a step of its own.
    ASSERT_TRUE(doc->changeShape(*id, Box{41, 10, 20, 20}, dragKey + 1));
    EXPECT_EQ(doc->undoStack()->count(), 3);
}

TEST_F(DocumentTest, MovingASelectionTogetherIsOneUndoStep)
{
    auto doc = open(m_boxes);
    auto a = doc->addAnnotation(m_boxes.classes[0].id, Box{10, 10, 20, 20});
    auto b = doc->addAnnotation(m_boxes.classes[1].id, Box{50, 50, 10, 10});
    ASSERT_TRUE(a && b);
    const auto xOf = [](const QList<Annotation> &list, qint64 classId) {
        for (const Annotation &annotation : list) {
            if (annotation.classId == classId)
                return std::get<Box>(annotation.shape).x;
        }
        return -1.0;
    };
    const int dragKey = 3;
    for (int dx = 1; dx <= 5; ++dx) {
        ASSERT_TRUE(succeeds(doc->changeShapes(
            {{*a, Box{10.0 + dx, 10, 20, 20}}, {*b, Box{50.0 + dx, 50, 10, 10}}}, dragKey)));
    }
    EXPECT_EQ(doc->undoStack()->count(), 3); // two adds and one move of both
    EXPECT_EQ(xOf(stored(m_boxes), m_boxes.classes[0].id), 15);
    EXPECT_EQ(xOf(stored(m_boxes), m_boxes.classes[1].id), 55);

    doc->undoStack()->undo();
    EXPECT_EQ(std::get<Box>(doc->annotation(*a)->shape).x, 10);
    EXPECT_EQ(xOf(stored(m_boxes), m_boxes.classes[0].id), 10);
    EXPECT_EQ(xOf(stored(m_boxes), m_boxes.classes[1].id), 50);
    doc->undoStack()->redo();
    EXPECT_EQ(xOf(stored(m_boxes), m_boxes.classes[0].id), 15);
    EXPECT_EQ(xOf(stored(m_boxes), m_boxes.classes[1].id), 55);

    // The same key on a different set of annotations does not merge.
    ASSERT_TRUE(doc->changeShapes({{*a, Box{20, 10, 20, 20}}}, dragKey));
    EXPECT_EQ(doc->undoStack()->count(), 4);
    // A shape outside the image is refused, for all of them, and nothing is pushed.
    EXPECT_FALSE(
        doc->changeShapes({{*a, Box{30, 10, 20, 20}}, {*b, Box{195, 50, 10, 10}}}, dragKey + 1));
    EXPECT_EQ(doc->undoStack()->count(), 4);
    EXPECT_EQ(xOf(stored(m_boxes), m_boxes.classes[0].id), 20);
}

TEST_F(DocumentTest, RemovingAndUndoingKeepsProvenance)
{
    const qint64 id = machineLabel(m_boxes, 1, Box{1, 1, 5, 5}, 0.7);
    auto doc = open(m_boxes);
    ASSERT_TRUE(succeeds(doc->removeAnnotations({id})));
    EXPECT_TRUE(doc->annotations().isEmpty());
    EXPECT_TRUE(stored(m_boxes).isEmpty());
    doc->undoStack()->undo();
    const QList<Annotation> saved = stored(m_boxes);
    ASSERT_EQ(saved.size(), 1);
    EXPECT_EQ(saved[0].provenance.state, LabelState::Machine);
    ASSERT_TRUE(saved[0].provenance.confidence.has_value());
    EXPECT_DOUBLE_EQ(*saved[0].provenance.confidence, 0.7);
    EXPECT_EQ(doc->awaitingReview().size(), 1);
}

TEST_F(DocumentTest, ReviewActionsSetProvenanceAndUndo)
{
    const qint64 sure = machineLabel(m_boxes, 0, Box{1, 1, 5, 5}, 0.9);
    const qint64 unsure = machineLabel(m_boxes, 1, Box{20, 1, 5, 5}, 0.4);
    const qint64 edited = machineLabel(m_boxes, 1, Box{40, 1, 5, 5}, 0.6);
    auto doc = open(m_boxes);
    EXPECT_EQ(doc->awaitingReview(), (QList<qint64>{unsure, edited, sure})); // lowest first

    ASSERT_TRUE(doc->reject({unsure}));
    EXPECT_EQ(doc->annotation(unsure)->provenance.state, LabelState::Rejected);
    EXPECT_EQ(doc->liveAnnotations().size(), 2); // kept for the record, hidden from views
    ASSERT_TRUE(doc->changeShape(edited, Box{41, 1, 5, 5}));
    EXPECT_EQ(doc->annotation(edited)->provenance.state, LabelState::MachineEdited);
    ASSERT_TRUE(doc->acceptAll());
    EXPECT_EQ(doc->annotation(sure)->provenance.state, LabelState::MachineAccepted);
    EXPECT_EQ(doc->annotation(sure)->provenance.annotatorId, m_annotator);
    EXPECT_TRUE(doc->awaitingReview().isEmpty());
    EXPECT_EQ(m_store->taskStatus(m_boxes.id).accepted, 0); // the edited one counts as human
    EXPECT_EQ(m_store->taskStatus(m_boxes.id).human, 1);

    doc->undoStack()->undo(); // accept all
    doc->undoStack()->undo(); // the edit
    doc->undoStack()->undo(); // the rejection
    EXPECT_EQ(doc->awaitingReview().size(), 3);
    EXPECT_EQ(m_store->taskStatus(m_boxes.id).awaitingReview, 1);
    for (const Annotation &a : stored(m_boxes))
        EXPECT_EQ(a.provenance.state, LabelState::Machine);
}

TEST_F(DocumentTest, SingleLabelClassReplacesAndAProposedClassChosenIsAccepted)
{
    auto doc = open(m_single);
    ASSERT_TRUE(doc->setItemClass(m_single.classes[0].id));
    ASSERT_TRUE(doc->setItemClass(m_single.classes[1].id));
    QList<Annotation> saved = stored(m_single);
    ASSERT_EQ(saved.size(), 1);
    EXPECT_EQ(saved[0].classId, m_single.classes[1].id);
    doc->undoStack()->undo();
    saved = stored(m_single);
    ASSERT_EQ(saved.size(), 1);
    EXPECT_EQ(saved[0].classId, m_single.classes[0].id);
    EXPECT_EQ(doc->liveAnnotations().size(), 1);

    // The model proposes "outdoor"; pressing outdoor's key accepts it.
    doc.reset();
    ASSERT_TRUE(m_store->removeAnnotation(saved[0].id));
    const qint64 proposed = machineLabel(m_single, 1, ClassTag{}, 0.8);
    doc = open(m_single);
    ASSERT_TRUE(doc->setItemClass(m_single.classes[1].id));
    EXPECT_EQ(doc->annotation(proposed)->provenance.state, LabelState::MachineAccepted);
    EXPECT_EQ(stored(m_single).size(), 1);
}

TEST_F(DocumentTest, MultiLabelClassesToggle)
{
    const qint64 proposed = machineLabel(m_multi, 1, ClassTag{}, 0.55);
    auto doc = open(m_multi);
    ASSERT_TRUE(doc->toggleItemClass(m_multi.classes[0].id)); // on
    EXPECT_EQ(stored(m_multi).size(), 2);
    ASSERT_TRUE(doc->toggleItemClass(m_multi.classes[0].id)); // off again
    ASSERT_TRUE(doc->toggleItemClass(m_multi.classes[1].id)); // the proposal: rejected
    EXPECT_TRUE(stored(m_multi).isEmpty());
    EXPECT_EQ(doc->annotation(proposed)->provenance.state, LabelState::Rejected);
    doc->undoStack()->undo();
    doc->undoStack()->undo();
    const QList<Annotation> saved = stored(m_multi);
    EXPECT_EQ(saved.size(), 2);
}

TEST_F(DocumentTest, ARefusedEditLeavesNoStepAndNothingSaved)
{
    auto doc = open(m_boxes);
    EXPECT_TRUE(failsMentioning(doc->addAnnotation(m_boxes.classes[0].id, Box{190, 10, 20, 20}),
                                {u"200x100"_s}));
    EXPECT_EQ(doc->undoStack()->count(), 0);
    EXPECT_TRUE(doc->annotations().isEmpty());
    EXPECT_TRUE(stored(m_boxes).isEmpty());

    auto id = doc->addAnnotation(m_boxes.classes[0].id, Box{10, 10, 20, 20});
    ASSERT_TRUE(id);
    EXPECT_FALSE(doc->changeShape(*id, Box{-5, 10, 20, 20}));
    EXPECT_EQ(std::get<Box>(doc->annotation(*id)->shape).x, 10);
    EXPECT_EQ(doc->undoStack()->count(), 1);
}

TEST_F(DocumentTest, AnUndoTheStoreRefusesIsReported)
{
    auto doc = open(m_boxes);
    QSignalSpy failures(doc.get(), &ItemDocument::saveFailed);
    auto id = doc->addAnnotation(m_boxes.classes[0].id, Box{10, 10, 20, 20});
    ASSERT_TRUE(id);
    // Someone else removes it (another window, another annotator).
    ASSERT_TRUE(m_store->removeAnnotation(*id));
    doc->undoStack()->undo();
    ASSERT_EQ(failures.count(), 1);
    EXPECT_TRUE(failures.at(0).at(0).toString().contains(QString::number(*id)));
    EXPECT_EQ(doc->annotations().size(), 1); // what is shown is what the document knows
}

TEST_F(DocumentTest, SkipWithAReasonUndoes)
{
    auto doc = open(m_boxes);
    ASSERT_TRUE(doc->setSkipped(u"blurred"_s));
    EXPECT_EQ(m_store->skipReason(m_item, m_boxes.id), u"blurred"_s);
    EXPECT_EQ(m_store->taskStatus(m_boxes.id).skipped, 1);
    doc->undoStack()->undo();
    EXPECT_TRUE(m_store->skipReason(m_item, m_boxes.id).isEmpty());
    EXPECT_TRUE(doc->skipReason().isEmpty());
    doc->undoStack()->redo();
    EXPECT_EQ(open(m_boxes)->skipReason(), u"blurred"_s);
}

TEST_F(DocumentTest, SelectionDropsWhatIsRemovedOrRejected)
{
    const qint64 proposal = machineLabel(m_boxes, 0, Box{1, 1, 5, 5}, 0.5);
    auto doc = open(m_boxes);
    auto id = doc->addAnnotation(m_boxes.classes[0].id, Box{10, 10, 20, 20});
    ASSERT_TRUE(id);
    doc->setSelection({*id, proposal, 999});
    EXPECT_EQ(doc->selection(), (QSet<qint64>{*id, proposal})); // unknown ids are ignored
    ASSERT_TRUE(doc->removeAnnotations({*id}));
    ASSERT_TRUE(doc->reject({proposal}));
    EXPECT_TRUE(doc->selection().isEmpty());
}

TEST_F(DocumentTest, DeleteRejectsProposalsAndRemovesTheRestInOneStep)
{
    const qint64 proposal = machineLabel(m_boxes, 0, Box{1, 1, 5, 5}, 0.5);
    auto doc = open(m_boxes);
    auto own = doc->addAnnotation(m_boxes.classes[1].id, Box{10, 10, 20, 20});
    ASSERT_TRUE(own);
    const int steps = doc->undoStack()->count();
    ASSERT_TRUE(succeeds(doc->deleteAnnotations({proposal, *own})));
    EXPECT_EQ(doc->undoStack()->count(), steps + 1);
    EXPECT_EQ(doc->annotation(proposal)->provenance.state, LabelState::Rejected);
    EXPECT_EQ(doc->annotation(*own), nullptr);
    EXPECT_TRUE(stored(m_boxes).isEmpty());
    doc->undoStack()->undo();
    EXPECT_EQ(stored(m_boxes).size(), 2);
    EXPECT_EQ(doc->awaitingReview(), QList<qint64>{proposal});
}

} // namespace
} // namespace fieldmark
