#pragma once

#include "core/model/rlemask.h"
#include "core/util/result.h"
#include "ui/tools/abstracttool.h"

#include <QPointer>

#include <atomic>
#include <memory>

class QGraphicsRectItem;
template<typename T>
class QFutureWatcher;

namespace fieldmark {

class ItemDocument;

// Assisted mask: drag a box around an object and GrabCut (core/assist) proposes its mask on a
// worker thread; the proposal is added as one annotation of the current class, selected, for
// the brush and eraser to correct. A proposal that arrives after the user moved on is dropped.
class GrabCutTool : public AbstractTool
{
    Q_OBJECT

public:
    explicit GrabCutTool(QObject *parent = nullptr);
    ~GrabCutTool() override;

    bool fitsTask(TaskType type) const override { return type == TaskType::Segmentation; }
    bool isRunning() const { return m_watcher != nullptr; }

    void activate() override;
    void deactivate() override;
    void documentChanged() override;
    void mousePressed(QMouseEvent *event, const QPointF &scenePos) override;
    void mouseMoved(QMouseEvent *event, const QPointF &scenePos) override;
    void mouseReleased(QMouseEvent *event, const QPointF &scenePos) override;
    bool keyPressed(QKeyEvent *event) override;
    bool wantsKey(QKeyEvent *event) const override;

Q_SIGNALS:
    // The proposal was added (or refused, with the reason in statusMessage).
    void finished(bool added);

private:
    void start(const QRect &box);
    void cancelRunning();
    void proposalReady(const Result<RleMask> &result);

    QPointF m_start;
    QGraphicsRectItem *m_preview = nullptr;
    QFutureWatcher<Result<RleMask>> *m_watcher = nullptr;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QPointer<ItemDocument> m_document; // the item the running proposal is for
    qint64 m_classId = 0;
};

} // namespace fieldmark
