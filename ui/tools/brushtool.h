#pragma once

#include "ui/tools/abstracttool.h"

#include <QRect>
#include <QVector>

class QGraphicsEllipseItem;
class QGraphicsPathItem;

namespace cv {
class Mat;
}

namespace fieldmark {

// Paints a mask of the current class with a round brush whose outline follows the cursor;
// [ and ] change its size. A stroke extends the selected mask of the current class, or makes
// a new mask; it is saved when the button is released, as one undo step. Masks are stored as
// RleMask cut to their pixels.
class BrushTool : public AbstractTool
{
    Q_OBJECT

public:
    explicit BrushTool(QObject *parent = nullptr);
    ~BrushTool() override;

    bool fitsTask(TaskType type) const override { return type == TaskType::Segmentation; }

    // In image pixels.
    int diameter() const { return m_diameter; }
    void setDiameter(int diameter);
    static constexpr int MinDiameter = 1;
    static constexpr int MaxDiameter = 500;

    void activate() override;
    void deactivate() override;
    void mousePressed(QMouseEvent *event, const QPointF &scenePos) override;
    void mouseMoved(QMouseEvent *event, const QPointF &scenePos) override;
    void mouseReleased(QMouseEvent *event, const QPointF &scenePos) override;
    bool keyPressed(QKeyEvent *event) override;
    bool wantsKey(QKeyEvent *event) const override;

protected:
    BrushTool(const QString &name, const QIcon &icon, const QKeySequence &shortcut, bool erases,
              QObject *parent);

    // The stroke drawn into `mat`, whose top-left pixel is `origin` in the image.
    void paintStroke(cv::Mat &mat, const QPoint &origin, unsigned char value) const;
    QRect strokeBounds() const;
    virtual void commitStroke();
    void hint();

    QVector<QPointF> m_stroke;

private:
    void updateOutline(const QPointF &scenePos);
    void updatePreview();
    void clearStroke();

    bool m_erases = false;
    int m_diameter = 20;
    QGraphicsEllipseItem *m_outline = nullptr;
    QGraphicsPathItem *m_preview = nullptr;
};

// Erases with the same round brush: from the selected masks, or when none is selected, from
// every mask of the current class the stroke touches. A mask erased to nothing is removed.
// One stroke is one undo step.
class EraserTool : public BrushTool
{
    Q_OBJECT

public:
    explicit EraserTool(QObject *parent = nullptr);

protected:
    void commitStroke() override;
};

} // namespace fieldmark
