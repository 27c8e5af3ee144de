#include "canvastestutil.h"

#include "uitestutil.h"

#include "core/import/importer.h"
#include "ui/canvas/canvasview.h"

#include <QDir>
#include <QLinearGradient>
#include <QPainter>
#include <QTest>

namespace fieldmark::test {

QImage makeScenePicture(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    QPainter painter(&image);
    QLinearGradient sky(0, 0, 0, height * 0.6);
    sky.setColorAt(0, QColor(90, 150, 220));
    sky.setColorAt(1, QColor(200, 225, 245));
    painter.fillRect(QRectF(0, 0, width, height * 0.6), sky);
    painter.fillRect(QRectF(0, height * 0.6, width, height * 0.4), QColor(80, 140, 60));
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(90, 90, 95));
    painter.drawPolygon(
        QPolygonF({QPointF(width * 0.42, height * 0.6), QPointF(width * 0.58, height * 0.6),
                   QPointF(width * 0.85, height), QPointF(width * 0.15, height)}));
    painter.setBrush(QColor(250, 210, 60));
    painter.drawEllipse(QPointF(width * 0.82, height * 0.18), width * 0.07, width * 0.07);
    painter.setBrush(QColor(200, 40, 40));
    painter.drawRoundedRect(QRectF(width * 0.2, height * 0.66, width * 0.16, height * 0.1), 6, 6);
    painter.setBrush(QColor(30, 30, 30));
    painter.drawEllipse(QPointF(width * 0.24, height * 0.77), width * 0.02, width * 0.02);
    painter.drawEllipse(QPointF(width * 0.32, height * 0.77), width * 0.02, width * 0.02);
    return image;
}

QString CanvasProject::media(const QString &name) const
{
    return QDir(mediaDir).filePath(name);
}

std::unique_ptr<CanvasProject> CanvasProject::create()
{
    auto project = std::make_unique<CanvasProject>();
    if (!project->root.isValid())
        return nullptr;
    project->projectDir = project->root.filePath(QStringLiteral("project"));
    project->mediaDir = project->root.filePath(QStringLiteral("media"));
    QDir().mkpath(project->mediaDir);
    if (!makeScenePicture(400, 300).save(project->media(QStringLiteral("scene.png"))) ||
        !makeImage(400, 300, QColor(40, 60, 200))
             .save(project->media(QStringLiteral("second.png"))))
        return nullptr;
    auto store = ProjectStore::create(project->projectDir);
    if (!store)
        return nullptr;
    project->store = std::move(store).value();
    ProjectStore &s = *project->store;
    auto boxes = s.addTask(QStringLiteral("vehicles"), TaskType::Boxes,
                           {QStringLiteral("car"), QStringLiteral("person")});
    auto regions = s.addTask(QStringLiteral("regions"), TaskType::Segmentation,
                             {QStringLiteral("road"), QStringLiteral("sky")});
    auto kinds = s.addTask(QStringLiteral("kinds"), TaskType::ImageClassification,
                           {QStringLiteral("indoor"), QStringLiteral("outdoor")});
    if (!boxes || !regions || !kinds)
        return nullptr;
    project->boxes = *boxes;
    project->regions = *regions;
    project->kinds = *kinds;
    Importer importer(s);
    for (const QString &name : {QStringLiteral("scene.png"), QStringLiteral("second.png")}) {
        auto summary = importer.importImages({project->media(name)});
        if (!summary || summary->added != 1)
            return nullptr;
    }
    // Listed as an image (as if it had been one at import), but not one now.
    if (!writeBytes(project->media(QStringLiteral("broken.png")),
                    QByteArray("\x89PNG\r\n\x1a\n but then garbage", 26)))
        return nullptr;
    Item broken;
    broken.path = project->media(QStringLiteral("broken.png"));
    broken.hash = "sha1:broken";
    broken.width = 400;
    broken.height = 300;
    if (!s.addItems({broken}))
        return nullptr;
    const QList<qint64> ids = s.itemIds();
    if (ids.size() != 3)
        return nullptr;
    project->scene = ids[0];
    project->second = ids[1];
    project->broken = ids[2];
    auto annotator = s.annotatorId(QStringLiteral("ada"));
    if (!annotator)
        return nullptr;
    project->annotator = *annotator;
    return project;
}

std::unique_ptr<ItemDocument> CanvasProject::open(qint64 itemId, const LabelTask &task) const
{
    auto document = ItemDocument::load(*store, itemId, task.id, annotator);
    return document ? std::move(document).value() : nullptr;
}

QList<Annotation> CanvasProject::stored(qint64 itemId, const LabelTask &task) const
{
    auto other = ProjectStore::open(projectDir);
    if (!other)
        return {};
    QList<Annotation> live;
    for (const Annotation &a : (*other)->annotations(itemId, task.id)) {
        if (a.provenance.state != LabelState::Rejected)
            live.append(a);
    }
    return live;
}

qint64 CanvasProject::addLabel(qint64 itemId, const LabelTask &task, int classIndex, Shape shape,
                               LabelState state, std::optional<double> confidence) const
{
    Annotation a;
    a.itemId = itemId;
    a.taskId = task.id;
    a.classId = task.classes.at(classIndex).id;
    a.shape = std::move(shape);
    a.provenance.state = state;
    a.provenance.confidence = confidence;
    auto id = store->addAnnotation(a);
    return id ? *id : 0;
}

bool waitForState(const ImageEditor &editor, ImageEditor::State state, int timeoutMs)
{
    return QTest::qWaitFor([&] { return editor.state() == state; }, timeoutMs);
}

QPoint viewportPos(const ImageEditor &editor, const QPointF &scenePos)
{
    return editor.view()->viewportTransform().map(scenePos).toPoint();
}

void dragOnViewport(const ImageEditor &editor, const QPointF &fromScene, const QPointF &toScene,
                    Qt::KeyboardModifiers modifiers, int steps)
{
    QWidget *viewport = editor.view()->viewport();
    QTest::mousePress(viewport, Qt::LeftButton, modifiers, viewportPos(editor, fromScene));
    for (int i = 1; i <= steps; ++i) {
        const QPointF p = fromScene + (toScene - fromScene) * (double(i) / steps);
        QTest::mouseMove(viewport, viewportPos(editor, p));
    }
    QTest::mouseRelease(viewport, Qt::LeftButton, modifiers, viewportPos(editor, toScene));
}

void clickOnViewport(const ImageEditor &editor, const QPointF &scenePos,
                     Qt::KeyboardModifiers modifiers)
{
    QTest::mouseClick(editor.view()->viewport(), Qt::LeftButton, modifiers,
                      viewportPos(editor, scenePos));
}

} // namespace fieldmark::test
