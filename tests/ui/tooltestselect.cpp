// The select tool, driven by mouse and key events on the canvas: select, move, resize by a
// handle, polygon vertices, nudge, delete, copy and paste; every drag one undo step, and all
// of it in the store.
#include "tooltestfixture.h"

#include "core/model/validation.h"
#include "ui/canvas/annotationitem.h"
#include "ui/canvas/canvasscene.h"
#include "ui/canvas/canvasview.h"
#include "ui/tools/selecttool.h"

#include <QAction>
#include <QUndoStack>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

using SelectToolTest = test::ToolTest;

Box boxOf(const QList<Annotation> &annotations, qint64 id)
{
    for (const Annotation &a : annotations) {
        if (a.id == id)
            return std::get<Box>(a.shape);
    }
    return {};
}

TEST_F(SelectToolTest, ClickSelectsAndArrowsNudge)
{
    const qint64 id =
        m_project->addLabel(m_project->scene, m_project->boxes, 0, Box{80, 195, 65, 35});
    show(m_project->boxes);
    ASSERT_NE(use<SelectTool>(), nullptr);
    test::clickOnViewport(*m_editor, {100, 210});
    EXPECT_EQ(m_document->selection(), QSet<qint64>{id});
    key(Qt::Key_Right);
    key(Qt::Key_Right);
    key(Qt::Key_Down, Qt::ShiftModifier);
    EXPECT_EQ(boxOf(m_project->stored(m_project->scene, m_project->boxes), id),
              (Box{82, 205, 65, 35}));
    EXPECT_EQ(m_document->undoStack()->count(), 3); // one step per key press
    m_document->undoStack()->undo();
    EXPECT_EQ(boxOf(m_project->stored(m_project->scene, m_project->boxes), id),
              (Box{82, 195, 65, 35}));
    // Clamped at the image's edge.
    for (int i = 0; i < 25; ++i)
        key(Qt::Key_Up, Qt::ShiftModifier);
    EXPECT_EQ(boxOf(m_document->annotations(), id).y, 0);

    // A click on nothing clears the selection; arrows then do nothing to the box.
    test::clickOnViewport(*m_editor, {350, 280});
    EXPECT_TRUE(m_document->selection().isEmpty());
    key(Qt::Key_Left);
    EXPECT_EQ(boxOf(m_document->annotations(), id).x, 82);
}

TEST_F(SelectToolTest, ADragMovesTheSelectionInOneUndoStep)
{
    const qint64 a =
        m_project->addLabel(m_project->scene, m_project->boxes, 0, Box{50, 50, 40, 30});
    const qint64 b =
        m_project->addLabel(m_project->scene, m_project->boxes, 1, Box{150, 60, 20, 20});
    show(m_project->boxes);
    use<SelectTool>();
    test::clickOnViewport(*m_editor, {60, 60});
    test::clickOnViewport(*m_editor, {160, 70}, Qt::ControlModifier);
    EXPECT_EQ(m_document->selection(), (QSet<qint64>{a, b}));
    test::dragOnViewport(*m_editor, {60, 60}, {90, 100});
    const QList<Annotation> saved = m_project->stored(m_project->scene, m_project->boxes);
    EXPECT_NEAR(boxOf(saved, a).x, 80, 1.0);
    EXPECT_NEAR(boxOf(saved, a).y, 90, 1.0);
    EXPECT_NEAR(boxOf(saved, b).x, 180, 1.0);
    EXPECT_EQ(m_document->undoStack()->count(), 1);
    m_document->undoStack()->undo();
    EXPECT_EQ(boxOf(m_project->stored(m_project->scene, m_project->boxes), a),
              (Box{50, 50, 40, 30}));
    EXPECT_EQ(boxOf(m_project->stored(m_project->scene, m_project->boxes), b),
              (Box{150, 60, 20, 20}));
}

TEST_F(SelectToolTest, RubberBandSelects)
{
    const qint64 a =
        m_project->addLabel(m_project->scene, m_project->boxes, 0, Box{50, 50, 40, 30});
    const qint64 b =
        m_project->addLabel(m_project->scene, m_project->boxes, 1, Box{150, 60, 20, 20});
    m_project->addLabel(m_project->scene, m_project->boxes, 1, Box{300, 200, 20, 20});
    show(m_project->boxes);
    use<SelectTool>();
    test::dragOnViewport(*m_editor, {20, 20}, {200, 120});
    EXPECT_EQ(m_document->selection(), (QSet<qint64>{a, b}));
    EXPECT_TRUE(m_document->undoStack()->count() == 0);
}

TEST_F(SelectToolTest, DeleteRemovesAndRejectsProposals)
{
    const qint64 human =
        m_project->addLabel(m_project->scene, m_project->boxes, 0, Box{50, 50, 40, 30});
    const qint64 machine = m_project->addLabel(m_project->scene, m_project->boxes, 1,
                                               Box{150, 60, 20, 20}, LabelState::Machine, 0.7);
    show(m_project->boxes);
    use<SelectTool>();
    test::clickOnViewport(*m_editor, {60, 60});
    test::clickOnViewport(*m_editor, {160, 70}, Qt::ShiftModifier);
    key(Qt::Key_Delete);
    EXPECT_TRUE(m_project->stored(m_project->scene, m_project->boxes).isEmpty());
    EXPECT_TRUE(m_editor->scene()->annotationItems().isEmpty());
    auto other = ProjectStore::open(m_project->projectDir);
    ASSERT_TRUE(other);
    const QList<Annotation> all = (*other)->annotations(m_project->scene, m_project->boxes.id);
    ASSERT_EQ(all.size(), 1); // the proposal kept, rejected, for the record
    EXPECT_EQ(all[0].provenance.state, LabelState::Rejected);
    m_document->undoStack()->undo();
    EXPECT_EQ(m_editor->scene()->annotationItems().size(), 2);
    Q_UNUSED(human);
    Q_UNUSED(machine);
}

TEST_F(SelectToolTest, CopiedAnnotationsPasteOntoTheNextItem)
{
    m_project->addLabel(m_project->scene, m_project->boxes, 1, Box{150, 60, 20, 20});
    show(m_project->boxes);
    use<SelectTool>();
    test::clickOnViewport(*m_editor, {160, 70});
    key(Qt::Key_C, Qt::ControlModifier);
    auto next = m_project->open(m_project->second, m_project->boxes);
    m_editor->setDocument(next.get());
    ASSERT_TRUE(test::waitForState(*m_editor, ImageEditor::State::Ready));
    m_editor->view()->setFocus();
    key(Qt::Key_V, Qt::ControlModifier);
    const QList<Annotation> pasted = m_project->stored(m_project->second, m_project->boxes);
    ASSERT_EQ(pasted.size(), 1);
    EXPECT_EQ(std::get<Box>(pasted[0].shape), (Box{150, 60, 20, 20}));
    EXPECT_EQ(pasted[0].classId, m_project->boxes.classes[1].id);
    EXPECT_EQ(pasted[0].provenance.state, LabelState::Human);
    EXPECT_EQ(next->selection().size(), 1);
    // Another task's shapes do not paste into a segmentation task.
    auto regions = m_project->open(m_project->second, m_project->regions);
    m_editor->setDocument(regions.get());
    ASSERT_TRUE(test::waitForState(*m_editor, ImageEditor::State::Ready));
    m_editor->view()->setFocus();
    key(Qt::Key_V, Qt::ControlModifier);
    EXPECT_TRUE(m_project->stored(m_project->second, m_project->regions).isEmpty());
    m_editor->setDocument(nullptr);
}

TEST_F(SelectToolTest, PolygonVerticesMoveInsertAndDelete)
{
    const qint64 id = m_project->addLabel(
        m_project->scene, m_project->regions, 0,
        Polygon{{QPointF(100, 100), QPointF(200, 100), QPointF(200, 200), QPointF(100, 200)}});
    show(m_project->regions);
    use<SelectTool>();
    test::clickOnViewport(*m_editor, {150, 150});
    ASSERT_EQ(m_document->selection(), QSet<qint64>{id});
    const auto points = [&] {
        return std::get<Polygon>(
                   m_project->stored(m_project->scene, m_project->regions).constFirst().shape)
            .points;
    };
    // Drag a vertex.
    test::dragOnViewport(*m_editor, {200, 100}, {230, 80});
    ASSERT_EQ(points().size(), 4);
    EXPECT_NEAR(points()[1].x(), 230, 1.0);
    EXPECT_NEAR(points()[1].y(), 80, 1.0);
    EXPECT_EQ(m_document->undoStack()->count(), 1);
    // A vertex dragged across the opposite edge is refused: the polygon stays valid.
    test::dragOnViewport(*m_editor, {100, 200}, {260, 60});
    EXPECT_FALSE(polygonSelfIntersects(points()));
    // Double-clicking an edge inserts a vertex there.
    m_document->undoStack()->undo();
    const int before = points().size();
    QTest::mouseDClick(m_editor->view()->viewport(), Qt::LeftButton, {},
                       test::viewportPos(*m_editor, {100, 150}));
    ASSERT_EQ(points().size(), before + 1);
    EXPECT_NEAR(points()[4].x(), 100, 1.0);
    EXPECT_NEAR(points()[4].y(), 150, 1.0);
    // Delete removes the active (just inserted) vertex, not the polygon.
    key(Qt::Key_Delete);
    EXPECT_EQ(points().size(), before);
    EXPECT_EQ(m_project->stored(m_project->scene, m_project->regions).size(), 1);
}

TEST_F(SelectToolTest, AHandleResizesABox)
{
    const qint64 id =
        m_project->addLabel(m_project->scene, m_project->boxes, 0, Box{100, 100, 50, 40});
    show(m_project->boxes);
    use<SelectTool>();
    test::clickOnViewport(*m_editor, {120, 120});
    // The bottom-right handle, dragged out and past the image's edge: clamped to it.
    test::dragOnViewport(*m_editor, {150, 140}, {420, 200});
    Box box = boxOf(m_project->stored(m_project->scene, m_project->boxes), id);
    EXPECT_NEAR(box.x, 100, 1e-9);
    EXPECT_NEAR(box.width, 300, 1e-9);
    EXPECT_NEAR(box.height, 100, 1.0);
    EXPECT_EQ(m_document->undoStack()->count(), 1);
    m_document->undoStack()->undo();
    EXPECT_EQ(boxOf(m_project->stored(m_project->scene, m_project->boxes), id),
              (Box{100, 100, 50, 40}));
    m_document->undoStack()->redo();
    box = boxOf(m_project->stored(m_project->scene, m_project->boxes), id);
    EXPECT_NEAR(box.width, 300, 1e-9);
}

} // namespace
} // namespace fieldmark
