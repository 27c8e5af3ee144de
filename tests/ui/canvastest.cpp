// The canvas: image shown (decoded in the background, tiled when big), annotations drawn and
// kept in step with the document, zoom and pan, the select tool, and a clear message for an
// image that cannot be decoded.
#include "canvastestutil.h"

#include "ui/canvas/annotationitem.h"
#include "ui/canvas/canvasscene.h"
#include "ui/canvas/canvasview.h"
#include "ui/canvas/imagecache.h"
#include "ui/canvas/imagelayer.h"
#include "ui/canvas/imagepyramid.h"
#include "ui/tools/abstracttool.h"
#include "ui/tools/toolmanager.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <QWheelEvent>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

using test::CanvasProject;

class CanvasTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_project = CanvasProject::create();
        ASSERT_TRUE(m_project);
        m_editor = std::make_unique<ImageEditor>();
        m_editor->resize(800, 600);
        m_editor->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(m_editor.get()));
    }

    void TearDown() override
    {
        if (m_editor)
            m_editor->setDocument(nullptr);
    }

    // Opens an item in the editor and waits for its image.
    void show(qint64 itemId, const LabelTask &task)
    {
        m_document = m_project->open(itemId, task);
        ASSERT_TRUE(m_document);
        m_editor->setDocument(m_document.get());
        ASSERT_TRUE(test::waitForState(*m_editor, ImageEditor::State::Ready));
    }

    std::unique_ptr<CanvasProject> m_project;
    std::unique_ptr<ImageEditor> m_editor;
    std::unique_ptr<ItemDocument> m_document;
};

TEST_F(CanvasTest, ShowsTheImageAndItsAnnotations)
{
    const qint64 human =
        m_project->addLabel(m_project->scene, m_project->boxes, 0, Box{80, 195, 65, 35});
    const qint64 machine = m_project->addLabel(m_project->scene, m_project->boxes, 1,
                                               Box{250, 150, 40, 80}, LabelState::Machine, 0.82);
    ASSERT_TRUE(human && machine);
    QSignalSpy states(m_editor.get(), &ImageEditor::stateChanged);
    show(m_project->scene, m_project->boxes);
    EXPECT_GE(states.count(), 1);
    EXPECT_TRUE(m_editor->message().isEmpty());
    EXPECT_EQ(m_editor->scene()->imageRect(), QRectF(0, 0, 400, 300));
    ASSERT_EQ(m_editor->scene()->annotationItems().size(), 2);
    EXPECT_FALSE(m_editor->scene()->annotationItem(human)->isAwaitingReview());
    EXPECT_TRUE(m_editor->scene()->annotationItem(machine)->isAwaitingReview());

    // Fitted: the whole image is on screen, and the picture's sun is where it should be.
    EXPECT_TRUE(m_editor->view()->isFitting());
    const QImage shot = m_editor->view()->viewport()->grab().toImage();
    const QColor sun = shot.pixelColor(test::viewportPos(*m_editor, QPointF(328, 54)));
    EXPECT_GT(sun.red(), 200);
    EXPECT_GT(sun.green(), 150);
    EXPECT_LT(sun.blue(), 120);
}

TEST_F(CanvasTest, AnnotationsFollowTheDocument)
{
    show(m_project->scene, m_project->boxes);
    ASSERT_TRUE(m_editor->scene()->annotationItems().isEmpty());
    auto id = m_document->addAnnotation(m_project->boxes.classes[0].id, Box{10, 10, 50, 40});
    ASSERT_TRUE(id);
    ASSERT_NE(m_editor->scene()->annotationItem(*id), nullptr);
    ASSERT_TRUE(m_document->changeShape(*id, Box{20, 10, 50, 40}));
    EXPECT_EQ(std::get<Box>(m_editor->scene()->annotationItem(*id)->shownShape()).x, 20);
    m_document->setSelection({*id});
    EXPECT_TRUE(m_editor->scene()->annotationItem(*id)->isSelectedInDocument());
    m_document->undoStack()->undo(); // the move
    EXPECT_EQ(std::get<Box>(m_editor->scene()->annotationItem(*id)->shownShape()).x, 10);
    m_document->undoStack()->undo(); // the add
    EXPECT_TRUE(m_editor->scene()->annotationItems().isEmpty());

    // Hidden classes are not drawn, and come back.
    auto again = m_document->addAnnotation(m_project->boxes.classes[1].id, Box{5, 5, 20, 20});
    ASSERT_TRUE(again);
    m_editor->setClassVisible(m_project->boxes.classes[1].id, false);
    EXPECT_FALSE(m_editor->scene()->annotationItem(*again)->isVisible());
    m_editor->setClassVisible(m_project->boxes.classes[1].id, true);
    EXPECT_TRUE(m_editor->scene()->annotationItem(*again)->isVisible());
}

TEST_F(CanvasTest, WheelZoomKeepsThePointUnderTheCursor)
{
    show(m_project->scene, m_project->boxes);
    CanvasView *view = m_editor->view();
    const QPoint cursor = test::viewportPos(*m_editor, QPointF(300, 80));
    const QPointF before = view->viewportTransform().inverted().map(QPointF(cursor));
    const double scale = view->scale();
    QSignalSpy zooms(m_editor.get(), &ImageEditor::zoomChanged);
    for (int notch = 0; notch < 3; ++notch) {
        QWheelEvent wheel(QPointF(cursor), view->viewport()->mapToGlobal(QPointF(cursor)), QPoint(),
                          QPoint(0, 120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(view->viewport(), &wheel);
    }
    EXPECT_EQ(zooms.count(), 3);
    EXPECT_NEAR(view->scale(), scale * std::pow(2.0, 3 * 120 / 480.0), 1e-9);
    const QPointF after = view->viewportTransform().inverted().map(QPointF(cursor));
    // Within a screen pixel: the scroll position is whole pixels.
    EXPECT_NEAR(after.x(), before.x(), 1.0 / view->scale());
    EXPECT_NEAR(after.y(), before.y(), 1.0 / view->scale());
    EXPECT_FALSE(view->isFitting());

    // The keyboard: Ctrl+= and Ctrl+- zoom around the centre, Ctrl+1 shows pixels 1:1,
    // Ctrl+0 fits.
    view->setFocus();
    const double zoomed = view->scale();
    QTest::keyClick(view, Qt::Key_Equal, Qt::ControlModifier);
    EXPECT_NEAR(view->scale(), zoomed * 1.25, 1e-9);
    QTest::keyClick(view, Qt::Key_Minus, Qt::ControlModifier);
    EXPECT_NEAR(view->scale(), zoomed, 1e-9);
    QTest::keyClick(view, Qt::Key_1, Qt::ControlModifier);
    EXPECT_DOUBLE_EQ(view->scale(), 1.0);
    QTest::keyClick(view, Qt::Key_0, Qt::ControlModifier);
    EXPECT_TRUE(view->isFitting());
    EXPECT_LT(view->scale(), 2.0);
}

TEST_F(CanvasTest, MiddleButtonAndSpaceDragPan)
{
    show(m_project->scene, m_project->boxes);
    CanvasView *view = m_editor->view();
    view->actualSize();
    QWidget *viewport = view->viewport();
    const QPoint start(400, 300);
    const QPointF before = view->viewportTransform().inverted().map(QPointF(start));
    QTest::mousePress(viewport, Qt::MiddleButton, {}, start);
    QTest::mouseMove(viewport, start + QPoint(-40, -30));
    QTest::mouseRelease(viewport, Qt::MiddleButton, {}, start + QPoint(-40, -30));
    const QPointF after = view->viewportTransform().inverted().map(QPointF(start));
    EXPECT_NEAR(after.x() - before.x(), 40, 1.0);
    EXPECT_NEAR(after.y() - before.y(), 30, 1.0);

    // Space + left drag pans too, and draws nothing.
    QTest::keyPress(view, Qt::Key_Space);
    QTest::mousePress(viewport, Qt::LeftButton, {}, start);
    QTest::mouseMove(viewport, start + QPoint(20, 0));
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, start + QPoint(20, 0));
    QTest::keyRelease(view, Qt::Key_Space);
    const QPointF panned = view->viewportTransform().inverted().map(QPointF(start));
    EXPECT_NEAR(panned.x() - after.x(), -20, 1.0);
    EXPECT_TRUE(m_document->annotations().isEmpty());
}

TEST_F(CanvasTest, ReportsThePixelUnderTheCursor)
{
    show(m_project->scene, m_project->boxes);
    QSignalSpy pixels(m_editor.get(), &ImageEditor::cursorPixelChanged);
    QTest::mouseMove(m_editor->view()->viewport(), test::viewportPos(*m_editor, {120.5, 40.5}));
    ASSERT_GE(pixels.count(), 1);
    EXPECT_EQ(pixels.last().at(0).toPoint(), QPoint(120, 40));
    EXPECT_TRUE(pixels.last().at(1).toBool());
    QTest::mouseMove(m_editor->view()->viewport(), test::viewportPos(*m_editor, {-5, 40}));
    EXPECT_FALSE(pixels.last().at(1).toBool());
}

TEST_F(CanvasTest, AnImageThatCannotBeDecodedShowsAMessage)
{
    m_document = m_project->open(m_project->broken, m_project->boxes);
    ASSERT_TRUE(m_document);
    m_editor->setDocument(m_document.get());
    ASSERT_TRUE(test::waitForState(*m_editor, ImageEditor::State::Error));
    EXPECT_TRUE(m_editor->message().contains(u"broken.png"_s)) << m_editor->message().toStdString();
    EXPECT_TRUE(m_editor->message().contains(u"cannot be shown"_s));
    // Nothing can be drawn on it, and the next item opens normally.
    EXPECT_FALSE(m_editor->toolManager()->hasImage());
    auto next = m_project->open(m_project->scene, m_project->boxes);
    m_editor->setDocument(next.get());
    EXPECT_TRUE(test::waitForState(*m_editor, ImageEditor::State::Ready));
    EXPECT_TRUE(m_editor->message().isEmpty());
    m_editor->setDocument(nullptr);
}

TEST_F(CanvasTest, AMissingFileShowsAMessageNamingIt)
{
    ASSERT_TRUE(QFile::remove(m_project->media(u"second.png"_s)));
    m_document = m_project->open(m_project->second, m_project->boxes);
    m_editor->setDocument(m_document.get());
    ASSERT_TRUE(test::waitForState(*m_editor, ImageEditor::State::Error));
    EXPECT_TRUE(m_editor->message().contains(u"second.png"_s));
}

TEST_F(CanvasTest, ShowMessageReplacesTheCanvas)
{
    m_editor->showMessage(u"Select an item to label."_s);
    EXPECT_EQ(m_editor->state(), ImageEditor::State::Empty);
    EXPECT_EQ(m_editor->message(), u"Select an item to label."_s);
}

TEST_F(CanvasTest, PrefetchedNeighboursShowAtOnce)
{
    show(m_project->scene, m_project->boxes);
    const QString next = m_project->media(u"second.png"_s);
    m_editor->prefetch({next});
    ASSERT_TRUE(QTest::qWaitFor([&] { return m_editor->imageCache()->cached(next) != nullptr; }));
    auto document = m_project->open(m_project->second, m_project->boxes);
    m_editor->setDocument(document.get());
    // From the cache: ready before the event loop runs again.
    EXPECT_EQ(m_editor->state(), ImageEditor::State::Ready);
    m_editor->setDocument(nullptr);
}

TEST_F(CanvasTest, AStaleDecodeIsNeverShown)
{
    auto first = m_project->open(m_project->scene, m_project->boxes);
    auto second = m_project->open(m_project->second, m_project->boxes);
    m_editor->setDocument(first.get());
    m_editor->setDocument(second.get()); // before the first image arrives
    ASSERT_TRUE(test::waitForState(*m_editor, ImageEditor::State::Ready));
    QTest::qWait(50); // the first decode finishing late must not replace it
    const QImage shown = m_editor->scene()->image()->fullImage();
    EXPECT_EQ(shown.pixelColor(200, 150), QColor(40, 60, 200));
    m_editor->setDocument(nullptr);
}

TEST_F(CanvasTest, FlippingThroughItemsShowsOnlyTheLastAndDropsTheRest)
{
    std::vector<std::unique_ptr<ItemDocument>> documents;
    for (int round = 0; round < 5; ++round) {
        for (qint64 item : {m_project->scene, m_project->second}) {
            documents.push_back(m_project->open(item, m_project->boxes));
            m_editor->setDocument(documents.back().get());
        }
    }
    // The scene picture was asked for again and again, but only the second is current.
    documents.push_back(m_project->open(m_project->scene, m_project->boxes));
    m_editor->setDocument(documents.back().get());
    ASSERT_TRUE(test::waitForState(*m_editor, ImageEditor::State::Ready));
    EXPECT_EQ(m_editor->scene()->image()->fullImage().size(), QSize(400, 300));
    EXPECT_NE(m_editor->scene()->image()->fullImage().pixelColor(200, 150), QColor(40, 60, 200));
    EXPECT_TRUE(QTest::qWaitFor([&] { return m_editor->imageCache()->runningCount() == 0; }));
    EXPECT_EQ(m_editor->state(), ImageEditor::State::Ready);
    m_editor->setDocument(nullptr);
}

TEST(ImagePyramidTest, LevelsHalveAndTheCanvasDrawsOnlyVisibleTiles)
{
    QImage big(5000, 3000, QImage::Format_RGB32);
    big.fill(Qt::darkCyan);
    const ImagePyramidPtr pyramid = ImagePyramid::build(big);
    ASSERT_TRUE(pyramid);
    ASSERT_EQ(pyramid->levelCount(), 4); // 5000, 2500, 1250, 625
    EXPECT_EQ(pyramid->level(3).size(), QSize(625, 375));
    EXPECT_EQ(pyramid->levelFor(1.0), 0);
    EXPECT_EQ(pyramid->levelFor(0.5), 1);
    EXPECT_EQ(pyramid->levelFor(0.3), 1);
    EXPECT_EQ(pyramid->levelFor(0.1), 3);

    CanvasScene scene;
    scene.setImage(pyramid);
    CanvasView view(&scene);
    view.resize(800, 600);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    view.actualSize();
    view.viewport()->grab();
    // 1:1 on an 800x600 view: at most 3x3 tiles of 512 of the full level, not 10x6.
    EXPECT_EQ(scene.imageLayer()->lastLevel(), 0);
    EXPECT_LE(scene.imageLayer()->lastTileCount(), 9);
    EXPECT_GE(scene.imageLayer()->lastTileCount(), 2);
    view.fitToWindow();
    view.viewport()->grab();
    EXPECT_EQ(scene.imageLayer()->lastLevel(), 2); // 1250 wide for a 784-pixel fit
}

TEST(ImagePyramidTest, ALargeImageGetsAReducedPreviewAtItsFullSize)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(u"wide.png"_s);
    QImage wide(3000, 1000, QImage::Format_RGB32);
    wide.fill(QColor(10, 200, 30));
    ASSERT_TRUE(wide.save(path));
    EXPECT_EQ(ImageCache::decodePreview(path, 4'000'000), nullptr); // small enough as it is
    const ImagePyramidPtr preview = ImageCache::decodePreview(path, 1'000'000);
    ASSERT_NE(preview, nullptr);
    EXPECT_TRUE(preview->isPreview());
    EXPECT_EQ(preview->size(), QSize(3000, 1000));
    EXPECT_EQ(preview->fullImage().width(), ImageCache::PreviewSide);
    EXPECT_EQ(preview->fullImage().pixelColor(100, 100), QColor(10, 200, 30));
    EXPECT_EQ(ImageCache::decodePreview(dir.filePath(u"missing.png"_s), 1), nullptr);
}

TEST_F(CanvasTest, ToolsWaitForTheFullImageAfterAPreview)
{
    m_editor->imageCache()->setPreviewThreshold(1); // every image gets a preview
    m_document = m_project->open(m_project->scene, m_project->boxes);
    m_editor->setDocument(m_document.get());
    // A preview on the scene does not let tools draw.
    const ImagePyramidPtr preview = ImageCache::decodePreview(m_project->media(u"scene.png"_s), 1);
    ASSERT_NE(preview, nullptr);
    if (m_editor->state() == ImageEditor::State::Loading) {
        m_editor->scene()->setImage(preview);
        EXPECT_FALSE(m_editor->toolManager()->hasImage());
    }
    ASSERT_TRUE(test::waitForState(*m_editor, ImageEditor::State::Ready));
    ASSERT_NE(m_editor->scene()->image(), nullptr);
    EXPECT_FALSE(m_editor->scene()->image()->isPreview());
    EXPECT_TRUE(m_editor->toolManager()->hasImage());
    // A late preview never replaces the full image.
    QTest::qWait(50);
    EXPECT_FALSE(m_editor->scene()->image()->isPreview());
}

TEST_F(CanvasTest, ToolsFitTheTaskType)
{
    show(m_project->scene, m_project->boxes);
    ToolManager *tools = m_editor->toolManager();
    ASSERT_FALSE(tools->tools().isEmpty());
    EXPECT_TRUE(tools->actionGroup()->isExclusive());
    ASSERT_NE(tools->currentTool(), nullptr);
    EXPECT_TRUE(tools->currentTool()->action()->isChecked());
    for (AbstractTool *tool : tools->tools()) {
        // The tooltip names the shortcut.
        EXPECT_TRUE(tool->action()->toolTip().contains(
            tool->action()->shortcut().toString(QKeySequence::NativeText)))
            << tool->action()->toolTip().toStdString();
    }
    // An image classification task gets no drawing tool.
    auto kinds = m_project->open(m_project->scene, m_project->kinds);
    m_editor->setDocument(kinds.get());
    for (AbstractTool *tool : tools->tools())
        EXPECT_FALSE(tool->action()->isEnabled()) << tool->name().toStdString();
    EXPECT_EQ(tools->currentTool(), nullptr);
    m_editor->setDocument(nullptr);
}

} // namespace
} // namespace fieldmark
