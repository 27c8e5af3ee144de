#include "brushtool.h"

#include "core/assist/grabcut.h"
#include "core/document/itemdocument.h"
#include "ui/canvas/canvasscene.h"
#include "ui/canvas/canvasview.h"
#include "ui/tools/toolmanager.h"

#include <QGraphicsEllipseItem>
#include <QGraphicsPathItem>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainterPath>
#include <QPen>
#include <QUndoStack>

#include <opencv2/imgproc.hpp>

#include <cmath>

namespace fieldmark {

BrushTool::BrushTool(QObject *parent)
    : BrushTool(tr("Brush"), QIcon(QStringLiteral(":/icons/tools/brush.svg")),
                QKeySequence(Qt::Key_B), false, parent)
{}

BrushTool::BrushTool(const QString &name, const QIcon &icon, const QKeySequence &shortcut,
                     bool erases, QObject *parent)
    : AbstractTool(name, icon, shortcut, parent)
    , m_erases(erases)
{}

BrushTool::~BrushTool()
{
    delete m_outline;
    delete m_preview;
}

void BrushTool::setDiameter(int diameter)
{
    m_diameter = std::clamp(diameter, MinDiameter, MaxDiameter);
    if (m_outline)
        updateOutline(m_outline->rect().center());
    hint();
}

void BrushTool::hint()
{
    const LabelClass *labelClass =
        manager() && manager()->document()
            ? manager()->document()->task().classById(manager()->currentClass())
            : nullptr;
    const QString className = labelClass ? labelClass->name : QString();
    Q_EMIT statusMessage(m_erases ? tr("Erase from masks of class %1; [ and ] change the size "
                                       "(%2 px).")
                                        .arg(className)
                                        .arg(m_diameter)
                                  : tr("Paint a mask of class %1; [ and ] change the size "
                                       "(%2 px).")
                                        .arg(className)
                                        .arg(m_diameter));
}

void BrushTool::activate()
{
    hint();
}

void BrushTool::deactivate()
{
    clearStroke();
    delete m_outline;
    m_outline = nullptr;
}

void BrushTool::clearStroke()
{
    m_stroke.clear();
    delete m_preview;
    m_preview = nullptr;
}

void BrushTool::updateOutline(const QPointF &scenePos)
{
    if (!m_outline) {
        // Two rings, dark and light, so the outline shows on any image.
        m_outline = new QGraphicsEllipseItem;
        QPen dark(QColor(0, 0, 0, 200), 1);
        dark.setCosmetic(true);
        m_outline->setPen(dark);
        auto *light = new QGraphicsEllipseItem(m_outline);
        QPen pen(QColor(255, 255, 255, 220), 1, Qt::DashLine);
        pen.setCosmetic(true);
        light->setPen(pen);
        m_outline->setZValue(1001);
        manager()->scene()->addItem(m_outline);
    }
    const double r = m_diameter / 2.0;
    const QRectF rect(scenePos.x() - r, scenePos.y() - r, 2 * r, 2 * r);
    m_outline->setRect(rect);
    static_cast<QGraphicsEllipseItem *>(m_outline->childItems().constFirst())->setRect(rect);
}

void BrushTool::mousePressed(QMouseEvent *event, const QPointF &scenePos)
{
    if (event->button() != Qt::LeftButton)
        return;
    clearStroke();
    m_stroke.append(scenePos);
    updatePreview();
}

void BrushTool::mouseMoved(QMouseEvent *event, const QPointF &scenePos)
{
    updateOutline(scenePos);
    if (m_stroke.isEmpty() || !(event->buttons() & Qt::LeftButton))
        return;
    m_stroke.append(scenePos);
    updatePreview();
}

void BrushTool::mouseReleased(QMouseEvent *event, const QPointF &scenePos)
{
    if (event->button() != Qt::LeftButton || m_stroke.isEmpty())
        return;
    if (scenePos != m_stroke.constLast())
        m_stroke.append(scenePos);
    commitStroke();
    clearStroke();
}

void BrushTool::updatePreview()
{
    if (!m_preview) {
        const LabelClass *labelClass =
            manager()->document()->task().classById(manager()->currentClass());
        QColor color = m_erases ? QColor(255, 255, 255)
                                : (labelClass ? labelClass->color : QColor(Qt::magenta));
        color.setAlpha(m_erases ? 150 : 120);
        m_preview = new QGraphicsPathItem;
        m_preview->setPen(QPen(color, m_diameter, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        m_preview->setZValue(999);
        manager()->scene()->addItem(m_preview);
    }
    QPainterPath path(m_stroke.constFirst());
    for (int i = 1; i < m_stroke.size(); ++i)
        path.lineTo(m_stroke[i]);
    if (m_stroke.size() == 1)
        path.lineTo(m_stroke.constFirst() + QPointF(0.01, 0)); // a dab shows as a dot
    m_preview->setPath(path);
}

QRect BrushTool::strokeBounds() const
{
    // Not QRectF::united: it skips the empty rectangles of single points.
    double left = m_stroke.constFirst().x(), right = left;
    double top = m_stroke.constFirst().y(), bottom = top;
    for (const QPointF &p : m_stroke) {
        left = std::min(left, p.x());
        right = std::max(right, p.x());
        top = std::min(top, p.y());
        bottom = std::max(bottom, p.y());
    }
    const int r = m_diameter / 2 + 2;
    return QRectF(QPointF(left, top), QPointF(right, bottom))
        .toAlignedRect()
        .adjusted(-r, -r, r, r)
        .intersected(manager()->imageRect().toAlignedRect());
}

void BrushTool::paintStroke(cv::Mat &mat, const QPoint &origin, unsigned char value) const
{
    const auto local = [&origin](const QPointF &p) {
        return cv::Point(int(std::floor(p.x())) - origin.x(), int(std::floor(p.y())) - origin.y());
    };
    const cv::Scalar colour(value);
    if (m_diameter <= 1) {
        for (int i = 0; i < m_stroke.size(); ++i)
            cv::line(mat, local(m_stroke[i]), local(m_stroke[std::max(0, i - 1)]), colour, 1,
                     cv::LINE_8);
        return;
    }
    // Dabs at every point and thick segments between them: a round brush.
    const int radius = m_diameter / 2;
    for (int i = 0; i < m_stroke.size(); ++i) {
        cv::circle(mat, local(m_stroke[i]), radius, colour, cv::FILLED, cv::LINE_8);
        if (i > 0)
            cv::line(mat, local(m_stroke[i - 1]), local(m_stroke[i]), colour, 2 * radius,
                     cv::LINE_8);
    }
}

void BrushTool::commitStroke()
{
    ItemDocument *document = manager()->document();
    const qint64 classId = manager()->currentClass();
    const QRect strokeRect = strokeBounds();
    if (strokeRect.isEmpty())
        return;
    // The selected mask of the current class grows; otherwise the stroke is a new mask.
    const Annotation *target = nullptr;
    for (qint64 id : document->selection()) {
        const Annotation *a = document->annotation(id);
        if (a && a->classId == classId && std::holds_alternative<Mask>(a->shape)) {
            target = a;
            break;
        }
    }
    QRect region = strokeRect;
    if (target)
        region = region.united(std::get<Mask>(target->shape).rle.bounds());
    cv::Mat pixels = cv::Mat::zeros(region.height(), region.width(), CV_8UC1);
    if (target) {
        const RleMask &rle = std::get<Mask>(target->shape).rle;
        const QPoint at = rle.bounds().topLeft() - region.topLeft();
        rle.toMat().copyTo(
            pixels(cv::Rect(at.x(), at.y(), rle.bounds().width(), rle.bounds().height())));
    }
    paintStroke(pixels, region.topLeft(), 255);
    const RleMask mask = tightMask(pixels, region.topLeft());
    if (mask.isEmpty())
        return;
    if (target) {
        if (auto changed = document->changeShape(target->id, Mask{mask}); !changed)
            Q_EMIT statusMessage(changed.errorString());
        return;
    }
    auto id = document->addAnnotation(classId, Mask{mask});
    if (!id) {
        Q_EMIT statusMessage(id.errorString());
        return;
    }
    document->setSelection({*id});
}

bool BrushTool::wantsKey(QKeyEvent *event) const
{
    return event->key() == Qt::Key_BracketLeft || event->key() == Qt::Key_BracketRight ||
           (event->key() == Qt::Key_Escape && !m_stroke.isEmpty());
}

bool BrushTool::keyPressed(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_BracketLeft:
        // Steps of about 15%, so both fine and coarse sizes are a few presses away.
        setDiameter(std::min(m_diameter - 1, int(std::lround(m_diameter / 1.15))));
        return true;
    case Qt::Key_BracketRight:
        setDiameter(std::max(m_diameter + 1, int(std::lround(m_diameter * 1.15))));
        return true;
    case Qt::Key_Escape:
        if (m_stroke.isEmpty())
            return false;
        clearStroke();
        return true;
    default:
        return false;
    }
}

EraserTool::EraserTool(QObject *parent)
    : BrushTool(tr("Eraser"), QIcon(QStringLiteral(":/icons/tools/eraser.svg")),
                QKeySequence(Qt::Key_E), true, parent)
{}

void EraserTool::commitStroke()
{
    ItemDocument *document = manager()->document();
    const QRect strokeRect = strokeBounds();
    if (strokeRect.isEmpty())
        return;
    QList<qint64> candidates;
    for (qint64 id : document->selection()) {
        const Annotation *a = document->annotation(id);
        if (a && std::holds_alternative<Mask>(a->shape))
            candidates.append(id);
    }
    if (candidates.isEmpty()) {
        for (const Annotation &a : document->liveAnnotations()) {
            if (a.classId == manager()->currentClass() && std::holds_alternative<Mask>(a.shape))
                candidates.append(a.id);
        }
    }
    QHash<qint64, Shape> changed;
    QList<qint64> emptied;
    for (qint64 id : std::as_const(candidates)) {
        const RleMask &rle = std::get<Mask>(document->annotation(id)->shape).rle;
        if (!rle.bounds().intersects(strokeRect))
            continue;
        cv::Mat pixels = rle.toMat();
        paintStroke(pixels, rle.bounds().topLeft(), 0);
        const RleMask rest = tightMask(pixels, rle.bounds().topLeft());
        if (rest == rle)
            continue;
        if (rest.isEmpty())
            emptied.append(id);
        else
            changed.insert(id, Mask{rest});
    }
    if (changed.isEmpty() && emptied.isEmpty())
        return;
    // One stroke, one undo step, even when it trims one mask and removes another.
    QUndoStack *stack = document->undoStack();
    stack->beginMacro(tr("Erase"));
    Result<void> result;
    if (!changed.isEmpty())
        result = document->changeShapes(changed);
    if (result && !emptied.isEmpty())
        result = document->removeAnnotations(emptied);
    stack->endMacro();
    if (!result) {
        Q_EMIT statusMessage(result.errorString());
        // Half done: take back what was saved, so the stroke is all or nothing.
        if (stack->canUndo() && stack->undoText() == tr("Erase"))
            stack->undo();
    }
}

} // namespace fieldmark
