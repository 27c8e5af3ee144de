#pragma once

#include "core/document/itemdocument.h"
#include "core/store/projectstore.h"
#include "ui/canvas/imageeditor.h"

#include <QImage>
#include <QPoint>
#include <QTemporaryDir>

#include <memory>

namespace fieldmark::test {

// A project for the canvas and tool tests: two 400x300 images ("scene.png", a picture with a
// few shapes, and "second.png"), a file that is not an image but is listed as one
// ("broken.png"), a boxes task (car, person), a segmentation task (road, sky) and an image
// classification task (indoor, outdoor).
struct CanvasProject
{
    QTemporaryDir root;
    QString projectDir;
    QString mediaDir;
    std::unique_ptr<ProjectStore> store;
    LabelTask boxes;
    LabelTask regions;
    LabelTask kinds;
    qint64 scene = 0;
    qint64 second = 0;
    qint64 broken = 0;
    qint64 annotator = 0;

    static std::unique_ptr<CanvasProject> create();
    QString media(const QString &name) const;
    std::unique_ptr<ItemDocument> open(qint64 itemId, const LabelTask &task) const;
    // What a fresh connection reads: the store's truth, rejected labels left out.
    QList<Annotation> stored(qint64 itemId, const LabelTask &task) const;
    qint64 addLabel(qint64 itemId, const LabelTask &task, int classIndex, Shape shape,
                    LabelState state = LabelState::Human,
                    std::optional<double> confidence = {}) const;
};

// The picture of scene.png: sky, grass, a road, a red car and a yellow sun.
QImage makeScenePicture(int width, int height);

// Waits (running the event loop) until the editor reaches `state`.
bool waitForState(const ImageEditor &editor, ImageEditor::State state, int timeoutMs = 10000);
// An image pixel's position on the editor's viewport.
QPoint viewportPos(const ImageEditor &editor, const QPointF &scenePos);
// A left-button drag on the viewport in `steps` moves.
void dragOnViewport(const ImageEditor &editor, const QPointF &fromScene, const QPointF &toScene,
                    Qt::KeyboardModifiers modifiers = {}, int steps = 6);
void clickOnViewport(const ImageEditor &editor, const QPointF &scenePos,
                     Qt::KeyboardModifiers modifiers = {});

} // namespace fieldmark::test
