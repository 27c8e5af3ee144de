// Masks: brush strokes, the eraser and GrabCut proposals, checked pixel by pixel in the store.
#include "tooltestfixture.h"

#include "ui/canvas/annotationitem.h"
#include "ui/canvas/canvasscene.h"
#include "ui/canvas/canvasview.h"
#include "ui/tools/brushtool.h"
#include "ui/tools/grabcuttool.h"

#include <QAction>
#include <QPainter>
#include <QSignalSpy>
#include <QUndoStack>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

using MaskToolTest = test::ToolTest;

RleMask storedMask(const QList<Annotation> &annotations)
{
    for (const Annotation &a : annotations) {
        if (const auto *mask = std::get_if<Mask>(&a.shape))
            return mask->rle;
    }
    return {};
}

TEST_F(MaskToolTest, ABrushStrokePaintsAMaskOfTheCurrentClass)
{
    show(m_project->regions);
    m_editor->setCurrentClass(m_project->regions.classes[1].id);
    QTest::keyClick(m_editor->view(), Qt::Key_B);
    auto *brush = qobject_cast<BrushTool *>(m_editor->toolManager()->currentTool());
    ASSERT_NE(brush, nullptr);
    brush->setDiameter(20);
    test::dragOnViewport(*m_editor, {50, 50}, {150, 50}, {}, 10);

    const QList<Annotation> saved = m_project->stored(m_project->scene, m_project->regions);
    ASSERT_EQ(saved.size(), 1);
    EXPECT_EQ(saved[0].classId, m_project->regions.classes[1].id);
    const RleMask mask = storedMask(saved);
    ASSERT_TRUE(mask.validate());
    // The stroke's pixels, 10 on each side of the line, and its round ends.
    EXPECT_TRUE(mask.contains(100, 50));
    EXPECT_TRUE(mask.contains(100, 42));
    EXPECT_TRUE(mask.contains(100, 57));
    EXPECT_FALSE(mask.contains(100, 63));
    EXPECT_FALSE(mask.contains(100, 37));
    EXPECT_TRUE(mask.contains(43, 50));
    EXPECT_FALSE(mask.contains(36, 50));
    EXPECT_FALSE(mask.contains(41, 42)); // the corner outside the round cap
    EXPECT_GE(mask.bounds().top(), 38);
    EXPECT_LE(mask.bounds().bottom(), 62);
    // About 100 x 21 plus two half discs.
    EXPECT_NEAR(double(mask.area()), 100 * 21 + 3.1416 * 100, 300);
    EXPECT_EQ(m_document->undoStack()->count(), 1); // one stroke, one step

    // A second stroke with the mask selected extends the same mask, as another step.
    test::dragOnViewport(*m_editor, {150, 50}, {150, 120}, {}, 6);
    const QList<Annotation> extended = m_project->stored(m_project->scene, m_project->regions);
    ASSERT_EQ(extended.size(), 1);
    EXPECT_TRUE(storedMask(extended).contains(150, 110));
    EXPECT_TRUE(storedMask(extended).contains(100, 50));
    EXPECT_EQ(m_document->undoStack()->count(), 2);
    m_document->undoStack()->undo();
    EXPECT_EQ(storedMask(m_project->stored(m_project->scene, m_project->regions)), mask);

    // The brush outline follows the cursor and the size keys change it.
    QTest::keyClick(m_editor->view(), Qt::Key_BracketRight);
    EXPECT_GT(brush->diameter(), 20);
    QTest::keyClick(m_editor->view(), Qt::Key_BracketLeft);
    QTest::keyClick(m_editor->view(), Qt::Key_BracketLeft);
    EXPECT_LT(brush->diameter(), 20);
}

TEST_F(MaskToolTest, TheEraserRemovesPixelsAndAnEmptiedMaskGoes)
{
    show(m_project->regions);
    m_editor->setCurrentClass(m_project->regions.classes[0].id);
    auto *brush = use<BrushTool>();
    brush->setDiameter(20);
    test::dragOnViewport(*m_editor, {50, 50}, {150, 50}, {}, 10);
    m_document->setSelection({});

    QTest::keyClick(m_editor->view(), Qt::Key_E);
    auto *eraser = qobject_cast<EraserTool *>(m_editor->toolManager()->currentTool());
    ASSERT_NE(eraser, nullptr);
    eraser->setDiameter(10);
    test::dragOnViewport(*m_editor, {100, 30}, {100, 70}, {}, 4);
    RleMask mask = storedMask(m_project->stored(m_project->scene, m_project->regions));
    EXPECT_FALSE(mask.contains(100, 50));
    EXPECT_FALSE(mask.contains(97, 45));
    EXPECT_TRUE(mask.contains(60, 50));
    EXPECT_TRUE(mask.contains(140, 50));
    EXPECT_TRUE(mask.contains(108, 50));
    EXPECT_EQ(m_document->undoStack()->count(), 2);
    m_document->undoStack()->undo();
    EXPECT_TRUE(
        storedMask(m_project->stored(m_project->scene, m_project->regions)).contains(100, 50));
    m_document->undoStack()->redo();

    // Erasing everything that is left removes the annotation, in one step.
    eraser->setDiameter(60);
    test::dragOnViewport(*m_editor, {30, 50}, {170, 50}, {}, 10);
    EXPECT_TRUE(m_project->stored(m_project->scene, m_project->regions).isEmpty());
    EXPECT_TRUE(m_editor->scene()->annotationItems().isEmpty());
    EXPECT_EQ(m_document->undoStack()->count(), 3);
    m_document->undoStack()->undo();
    EXPECT_EQ(m_project->stored(m_project->scene, m_project->regions).size(), 1);
}

TEST_F(MaskToolTest, GrabCutProposesTheSquareAndTheBrushCorrectsIt)
{
    // A bright square on a dark, slightly noisy background.
    const QRect square(120, 90, 140, 110);
    QImage image(400, 300, QImage::Format_RGB32);
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const int base = square.contains(x, y) ? 225 : 30;
            const int v = base + ((x * 7 + y * 13) % 17) - 8;
            image.setPixel(x, y, qRgb(v, v, v));
        }
    }
    ASSERT_TRUE(image.save(m_project->media(u"scene.png"_s)));
    show(m_project->regions);
    m_editor->setCurrentClass(m_project->regions.classes[0].id);
    QTest::keyClick(m_editor->view(), Qt::Key_G);
    auto *tool = qobject_cast<GrabCutTool *>(m_editor->toolManager()->currentTool());
    ASSERT_NE(tool, nullptr);
    QSignalSpy finished(tool, &GrabCutTool::finished);
    test::dragOnViewport(*m_editor, QPointF(square.topLeft()) - QPointF(20, 20),
                         QPointF(square.bottomRight()) + QPointF(20, 20));
    ASSERT_TRUE(finished.wait(20000) || finished.count() == 1);
    ASSERT_TRUE(finished.last().at(0).toBool());

    const QList<Annotation> saved = m_project->stored(m_project->scene, m_project->regions);
    ASSERT_EQ(saved.size(), 1);
    const RleMask mask = storedMask(saved);
    qint64 inside = 0;
    for (int y = square.top(); y <= square.bottom(); ++y) {
        for (int x = square.left(); x <= square.right(); ++x)
            inside += mask.contains(x, y) ? 1 : 0;
    }
    const qint64 squareArea = qint64(square.width()) * square.height();
    const double iou = double(inside) / double(mask.area() + squareArea - inside);
    EXPECT_GT(iou, 0.8);
    EXPECT_EQ(m_document->selection().size(), 1);
    EXPECT_EQ(m_document->undoStack()->count(), 1);

    // The brush adds to the proposal (it is selected, of the current class).
    auto *brush = use<BrushTool>();
    brush->setDiameter(10);
    test::dragOnViewport(*m_editor, {300, 250}, {320, 250}, {}, 3);
    const QList<Annotation> corrected = m_project->stored(m_project->scene, m_project->regions);
    ASSERT_EQ(corrected.size(), 1);
    EXPECT_TRUE(storedMask(corrected).contains(310, 250));
    EXPECT_TRUE(storedMask(corrected).contains(square.center().x(), square.center().y()));
}

TEST_F(MaskToolTest, MasksAreDrawnInTheirClassColour)
{
    const LabelClass &road = m_project->regions.classes[0];
    m_project->addLabel(m_project->scene, m_project->regions, 0,
                        Mask{RleMask(QRect(300, 20, 60, 60), {0, 3600})});
    show(m_project->regions);
    const QImage shot = m_editor->view()->viewport()->grab().toImage();
    const QColor inside = shot.pixelColor(test::viewportPos(*m_editor, {330, 50}));
    const QColor plain = test::makeScenePicture(400, 300).pixelColor(330, 50);
    // Tinted toward the class colour: closer to it than the plain image pixel.
    const auto distance = [](const QColor &a, const QColor &b) {
        return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) +
               std::abs(a.blue() - b.blue());
    };
    EXPECT_LT(distance(inside, road.color), distance(plain, road.color));
}

} // namespace
} // namespace fieldmark
