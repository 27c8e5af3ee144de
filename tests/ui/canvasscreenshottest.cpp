// Screenshots of the canvas a person can look at, in light and dark palettes: boxes with a
// machine label awaiting review and a selection with handles; a polygon, a mask and a
// machine polygon with the brush outline; and the message for an image that cannot be read.
#include "canvastestutil.h"
#include "uitestutil.h"

#include "ui/canvas/canvasscene.h"
#include "ui/canvas/canvasview.h"
#include "ui/tools/brushtool.h"
#include "ui/tools/toolmanager.h"

#include <QApplication>
#include <QGraphicsItem>

#include <QPalette>
#include <QStyle>
#include <QTest>
#include <opencv2/imgproc.hpp>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(45, 45, 48));
    p.setColor(QPalette::WindowText, QColor(230, 230, 230));
    p.setColor(QPalette::Base, QColor(32, 32, 34));
    p.setColor(QPalette::AlternateBase, QColor(50, 50, 54));
    p.setColor(QPalette::Text, QColor(230, 230, 230));
    p.setColor(QPalette::Button, QColor(55, 55, 58));
    p.setColor(QPalette::ButtonText, QColor(230, 230, 230));
    p.setColor(QPalette::Dark, QColor(22, 22, 24));
    p.setColor(QPalette::Highlight, QColor(60, 130, 230));
    p.setColor(QPalette::HighlightedText, Qt::white);
    return p;
}

class CanvasScreenshotTest : public ::testing::TestWithParam<bool>
{
protected:
    void SetUp() override
    {
        m_saved = QApplication::palette();
        if (GetParam())
            QApplication::setPalette(darkPalette());
        else
            QApplication::setPalette(QApplication::style()->standardPalette());
        m_project = test::CanvasProject::create();
        ASSERT_TRUE(m_project);
    }
    void TearDown() override { QApplication::setPalette(m_saved); }

    QString name(const QString &what) const
    {
        return u"canvas-%1-%2.png"_s.arg(what, GetParam() ? u"dark"_s : u"light"_s);
    }

    // Opens the item in a shown editor and grabs it once the image is on screen.
    QImage shoot(ImageEditor &editor, ItemDocument *document)
    {
        editor.resize(720, 540);
        editor.show();
        EXPECT_TRUE(QTest::qWaitForWindowExposed(&editor));
        editor.setDocument(document);
        EXPECT_TRUE(test::waitForState(editor, ImageEditor::State::Ready));
        return editor.grab().toImage();
    }

    QPalette m_saved;
    std::unique_ptr<test::CanvasProject> m_project;
};

TEST_P(CanvasScreenshotTest, Boxes)
{
    const auto &p = *m_project;
    const qint64 car = p.addLabel(p.scene, p.boxes, 0, Box{78, 196, 68, 36});
    p.addLabel(p.scene, p.boxes, 1, Box{250, 140, 36, 90});
    p.addLabel(p.scene, p.boxes, 1, Box{300, 150, 30, 80}, LabelState::Machine, 0.82);
    p.addLabel(p.scene, p.boxes, 0, Box{185, 185, 30, 20}, LabelState::Machine, 0.64);
    auto document = p.open(p.scene, p.boxes);
    ASSERT_TRUE(document);
    document->setSelection({car});
    ImageEditor editor;
    const QImage shot = shoot(editor, document.get());
    ASSERT_FALSE(shot.isNull());
    ASSERT_TRUE(shot.save(test::screenshotPath(name(u"boxes"_s))));
    // The selected box's handles are drawn (white squares at its corners).
    const QPoint corner = test::viewportPos(editor, {78, 196});
    EXPECT_EQ(editor.view()->viewport()->grab().toImage().pixelColor(corner), QColor(Qt::white));
    editor.setDocument(nullptr);
}

TEST_P(CanvasScreenshotTest, PolygonMaskAndBrush)
{
    const auto &p = *m_project;
    // The road as a polygon, the sky partly as a mask, and a machine polygon on the sun.
    p.addLabel(
        p.scene, p.regions, 0,
        Polygon{{QPointF(168, 180), QPointF(232, 180), QPointF(340, 300), QPointF(60, 300)}});
    cv::Mat sky = cv::Mat::zeros(150, 240, CV_8UC1);
    cv::ellipse(sky, cv::Point(120, 75), cv::Size(110, 60), 0, 0, 360, cv::Scalar(255), cv::FILLED);
    p.addLabel(p.scene, p.regions, 1, Mask{RleMask::fromMat(sky, QPoint(20, 10))});
    p.addLabel(p.scene, p.regions, 1,
               Polygon{{QPointF(300, 30), QPointF(356, 30), QPointF(356, 80), QPointF(300, 80)}},
               LabelState::Machine, 0.71);
    auto document = p.open(p.scene, p.regions);
    ASSERT_TRUE(document);
    ImageEditor editor;
    shoot(editor, document.get());
    auto *brush = editor.toolManager()->findTool<BrushTool>();
    ASSERT_NE(brush, nullptr);
    editor.toolManager()->setCurrentTool(brush);
    brush->setDiameter(40);
    // Two moves: Qt drops a move to where the previous test left the mouse.
    QTest::mouseMove(editor.view()->viewport(), test::viewportPos(editor, {110, 230}));
    QTest::mouseMove(editor.view()->viewport(), test::viewportPos(editor, {120, 240}));
    const QImage shot = editor.grab().toImage();
    ASSERT_TRUE(shot.save(test::screenshotPath(name(u"segmentation"_s))));
    // The brush outline is on the canvas, around the cursor.
    int rings = 0;
    for (QGraphicsItem *item : editor.scene()->items()) {
        if (item->zValue() > 1000 && item->boundingRect().contains(QPointF(120, 240)))
            ++rings;
    }
    EXPECT_EQ(rings, 1);
    EXPECT_EQ(editor.scene()->annotationItems().size(), 3);
    editor.setDocument(nullptr);
}

TEST_P(CanvasScreenshotTest, UndecodableImage)
{
    auto document = m_project->open(m_project->broken, m_project->boxes);
    ImageEditor editor;
    editor.resize(720, 540);
    editor.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&editor));
    editor.setDocument(document.get());
    ASSERT_TRUE(test::waitForState(editor, ImageEditor::State::Error));
    ASSERT_TRUE(editor.grab().save(test::screenshotPath(name(u"broken"_s))));
    editor.setDocument(nullptr);
}

INSTANTIATE_TEST_SUITE_P(Palettes, CanvasScreenshotTest, ::testing::Values(false, true),
                         [](const auto &info) { return info.param ? "Dark" : "Light"; });

} // namespace
} // namespace fieldmark
