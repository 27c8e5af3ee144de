#pragma once

#include "core/document/changeevent.h"
#include "core/model/annotation.h"
#include "core/model/item.h"
#include "core/model/labeltask.h"
#include "core/model/textoffsetindex.h"
#include "core/util/result.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

#include <memory>

class QUndoStack;

namespace fieldmark {

class DocumentCommand;
class ProjectStore;

// A stable handle on one annotation for undo commands: undoing a removal puts the annotation
// back under a new store id, and every command holding the handle follows it.
struct AnnotationRef
{
    qint64 id = 0;
};
using AnnotationRefPtr = std::shared_ptr<AnnotationRef>;

// A label to add: the document fills in item, task and provenance.
struct NewAnnotation
{
    qint64 classId = 0;
    Shape shape;
    QJsonObject attributes = {};
};

// The editable state of one open item for one label task: its annotations, the selection and
// the undo stack. Every edit goes through the methods below, which build a QUndoCommand, save
// it to the store in its own transaction and push it, so one user action is one undo step
// and nothing shown on screen is unsaved. Views listen to changed() and never edit the
// annotations themselves.
//
// Review rules live here: accepting a machine label marks it machine-accepted, rejecting it
// rejected (kept in the store for the record, hidden from views), and changing its shape or
// class marks it machine-edited. Human edits credit the document's annotator.
class ItemDocument : public QObject
{
    Q_OBJECT

public:
    ~ItemDocument() override;

    // Reads the item and its annotations for the task from the store.
    static Result<std::unique_ptr<ItemDocument>> load(ProjectStore &store, qint64 itemId,
                                                      qint64 taskId, qint64 annotatorId);

    const Item &item() const { return m_item; }
    const LabelTask &task() const { return m_task; }
    qint64 annotatorId() const { return m_annotatorId; }
    ProjectStore &store() const { return m_store; }
    QUndoStack *undoStack() const { return m_undoStack.get(); }

    // Every annotation of the item for the task, rejected ones included, in id order.
    const QList<Annotation> &annotations() const { return m_annotations; }
    // The annotations a view shows: all but rejected machine labels.
    QList<Annotation> liveAnnotations() const;
    const Annotation *annotation(qint64 id) const;
    // Machine labels still waiting for a reviewer, lowest confidence first.
    QList<qint64> awaitingReview() const;
    QString skipReason() const { return m_skipReason; }
    // Text items: converts between the UTF-16 offsets a text view works in and the code
    // points spans are stored in.
    const TextOffsetIndex &textIndex() const { return m_textIndex; }

    const QSet<qint64> &selection() const { return m_selection; }
    void setSelection(const QSet<qint64> &ids);

    // ---- edits: each is one undo step, saved before it returns --------------------------------
    Result<QList<qint64>> addAnnotations(const QList<NewAnnotation> &annotations,
                                         const QString &text = {});
    Result<qint64> addAnnotation(qint64 classId, const Shape &shape);
    // A span over the UTF-16 range [start, end) of the item's text; refused with a message when
    // it is empty, lies outside the text or cuts a character in two.
    Result<qint64> addSpan(qint64 classId, qsizetype utf16Start, qsizetype utf16End);
    // Moves a span's ends (UTF-16 offsets); drags pass a `mergeKey` as for changeShape.
    Result<void> changeSpan(qint64 id, qsizetype utf16Start, qsizetype utf16End, int mergeKey = 0);
    Result<void> removeAnnotations(const QList<qint64> &ids);
    // What the Delete key does: machine labels awaiting review are rejected (kept for the
    // record), the others removed; one undo step.
    Result<void> deleteAnnotations(const QList<qint64> &ids);
    // A drag sends many shapes; with the same non-zero `mergeKey` they make one undo step.
    Result<void> changeShape(qint64 id, const Shape &shape, int mergeKey = 0);
    // New shapes for several annotations as one step (a selection moved together); with the
    // same non-zero `mergeKey` and the same annotations, successive calls make one undo step.
    Result<void> changeShapes(const QHash<qint64, Shape> &shapes, int mergeKey = 0);
    Result<void> changeClass(const QList<qint64> &ids, qint64 classId);
    // Image or text classification: single-label tasks replace the item's class, multi-label
    // tasks toggle it.
    Result<void> setItemClass(qint64 classId);
    Result<void> toggleItemClass(qint64 classId);
    Result<void> accept(const QList<qint64> &ids);
    Result<void> acceptAll();
    Result<void> reject(const QList<qint64> &ids);
    // "Nothing to label" with a reason; an empty reason clears the mark.
    Result<void> setSkipped(const QString &reason);

Q_SIGNALS:
    void changed(const fieldmark::ChangeEvent &event);
    // An undo or redo could not be saved (the store refused it); what is shown is what is
    // stored.
    void saveFailed(const QString &message);

private:
    friend class DocumentCommand;
    friend class AddRemoveAnnotations;
    friend class ChangeAnnotations;
    friend class SetSkipped;

    ItemDocument(ProjectStore &store, Item item, LabelTask task, qint64 annotatorId,
                 QList<Annotation> annotations, QString skipReason);

    // Runs a new command's first redo (which saves it); pushes it when that worked.
    Result<void> push(std::unique_ptr<DocumentCommand> command);
    bool consumeSkipRedo();
    AnnotationRefPtr refFor(qint64 id);
    Annotation humanEdit(const Annotation &before) const;
    // Refuses a shape that does not fit the item (a span outside its text) before any command
    // is built, with a message naming the item.
    Result<void> checkShape(const Shape &shape) const;

    // For the commands: the in-memory side of what they saved.
    void insertAnnotation(const Annotation &annotation);
    void eraseAnnotation(qint64 id);
    void replaceAnnotation(const Annotation &annotation);
    void setSkipReason(const QString &reason);
    void reportFailure(const QString &message);

    ProjectStore &m_store;
    Item m_item;
    LabelTask m_task;
    qint64 m_annotatorId = 0;
    QList<Annotation> m_annotations;
    QHash<qint64, AnnotationRefPtr> m_refs;
    QSet<qint64> m_selection;
    QString m_skipReason;
    TextOffsetIndex m_textIndex;
    std::unique_ptr<QUndoStack> m_undoStack;
    bool m_firstRun = false; // a new command's first redo: its caller gets the error
    bool m_skipRedo = false; // QUndoStack::push's redo of a command already run
};

} // namespace fieldmark
