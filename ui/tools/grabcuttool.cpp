#include "grabcuttool.h"

#include "core/assist/grabcut.h"
#include "core/document/itemdocument.h"
#include "ui/canvas/canvasscene.h"
#include "ui/canvas/canvasview.h"
#include "ui/canvas/imagepyramid.h"
#include "ui/tools/shapeops.h"
#include "ui/tools/toolmanager.h"

#include <QFutureWatcher>
#include <QGraphicsRectItem>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPen>
#include <QtConcurrent/QtConcurrentRun>

namespace fieldmark {

GrabCutTool::GrabCutTool(QObject *parent)
    : AbstractTool(tr("Assisted Mask"), QIcon(QStringLiteral(":/icons/tools/grabcut.svg")),
                   QKeySequence(Qt::Key_G), parent)
{}

GrabCutTool::~GrabCutTool()
{
    cancelRunning();
    delete m_preview;
}

void GrabCutTool::activate()
{
    Q_EMIT statusMessage(tr("Drag a box around an object: GrabCut proposes its mask, which the "
                            "brush (B) and eraser (E) can correct."));
}

void GrabCutTool::deactivate()
{
    delete m_preview;
    m_preview = nullptr;
}

void GrabCutTool::documentChanged()
{
    deactivate();
    cancelRunning();
}

void GrabCutTool::cancelRunning()
{
    if (m_cancel)
        m_cancel->store(true);
    if (m_watcher) {
        // The worker finishes on its own (it holds its own copy of the image); its result is
        // ignored.
        m_watcher->disconnect(this);
        m_watcher->deleteLater();
        m_watcher = nullptr;
    }
    m_cancel.reset();
}

void GrabCutTool::mousePressed(QMouseEvent *event, const QPointF &scenePos)
{
    if (event->button() != Qt::LeftButton || isRunning())
        return;
    deactivate();
    m_start = shapeops::clampPoint(scenePos, manager()->imageRect());
    m_preview = new QGraphicsRectItem(QRectF(m_start, m_start));
    QPen pen(QColor(160, 108, 240), 1.5, Qt::DashLine);
    pen.setCosmetic(true);
    m_preview->setPen(pen);
    m_preview->setZValue(1000);
    manager()->scene()->addItem(m_preview);
}

void GrabCutTool::mouseMoved(QMouseEvent *, const QPointF &scenePos)
{
    if (m_preview)
        m_preview->setRect(shapeops::clampRect(QRectF(m_start, scenePos), manager()->imageRect()));
}

void GrabCutTool::mouseReleased(QMouseEvent *event, const QPointF &scenePos)
{
    if (event->button() != Qt::LeftButton || !m_preview)
        return;
    const QRect box =
        shapeops::clampRect(QRectF(m_start, scenePos), manager()->imageRect()).toRect();
    if (box.width() < 4 || box.height() < 4) {
        deactivate();
        return;
    }
    start(box);
}

void GrabCutTool::start(const QRect &box)
{
    const ImagePyramidPtr image = manager()->scene()->image();
    if (!image)
        return;
    m_document = manager()->document();
    m_classId = manager()->currentClass();
    m_cancel = std::make_shared<std::atomic_bool>(false);
    m_watcher = new QFutureWatcher<Result<RleMask>>(this);
    connect(m_watcher, &QFutureWatcherBase::finished, this, [this] {
        const Result<RleMask> result = m_watcher->result();
        m_watcher->deleteLater();
        m_watcher = nullptr;
        m_cancel.reset();
        proposalReady(result);
    });
    Q_EMIT statusMessage(tr("Finding the object…"));
    const std::shared_ptr<std::atomic_bool> cancel = m_cancel;
    // The pyramid is shared and read-only: the worker keeps it alive while it reads it.
    m_watcher->setFuture(QtConcurrent::run([image, box, cancel] {
        return grabCutMask(image->fullImage(), box, GrabCutOptions(), cancel.get());
    }));
}

void GrabCutTool::proposalReady(const Result<RleMask> &result)
{
    deactivate();
    ItemDocument *document = manager()->document();
    if (!document || document != m_document)
        return; // the user moved to another item meanwhile
    if (!result) {
        Q_EMIT statusMessage(result.errorString());
        Q_EMIT finished(false);
        return;
    }
    auto id = document->addAnnotation(m_classId, Mask{*result});
    if (!id) {
        Q_EMIT statusMessage(id.errorString());
        Q_EMIT finished(false);
        return;
    }
    document->setSelection({*id});
    Q_EMIT statusMessage(tr("Proposed a mask of %n pixel(s); correct it with the brush (B) and "
                            "eraser (E).",
                            nullptr, int(result->area())));
    Q_EMIT finished(true);
}

bool GrabCutTool::wantsKey(QKeyEvent *event) const
{
    return event->key() == Qt::Key_Escape && (m_preview || isRunning());
}

bool GrabCutTool::keyPressed(QKeyEvent *event)
{
    if (event->key() != Qt::Key_Escape || !(m_preview || isRunning()))
        return false;
    cancelRunning();
    deactivate();
    Q_EMIT statusMessage(tr("Assisted mask cancelled."));
    return true;
}

} // namespace fieldmark
