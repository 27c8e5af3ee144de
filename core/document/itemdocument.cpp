#include "itemdocument.h"

#include "core/document/commands/addremoveannotations.h"
#include "core/document/commands/changeannotations.h"
#include "core/document/commands/setskipped.h"
#include "core/model/validation.h"
#include "core/store/projectstore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QUndoStack>

#include <algorithm>

namespace fieldmark {

namespace {

bool isLive(const Annotation &a)
{
    return a.provenance.state != LabelState::Rejected;
}

bool isMachineOrigin(LabelState state)
{
    return state == LabelState::Machine || state == LabelState::MachineAccepted ||
           state == LabelState::MachineEdited;
}

} // namespace

ItemDocument::ItemDocument(ProjectStore &store, Item item, LabelTask task, qint64 annotatorId,
                           QList<Annotation> annotations, QString skipReason)
    : m_store(store)
    , m_item(std::move(item))
    , m_task(std::move(task))
    , m_annotatorId(annotatorId)
    , m_annotations(std::move(annotations))
    , m_skipReason(std::move(skipReason))
    , m_textIndex(m_item.kind == ItemKind::Text ? TextOffsetIndex(m_item.text) : TextOffsetIndex())
    , m_undoStack(std::make_unique<QUndoStack>())
{
    qRegisterMetaType<ChangeEvent>();
}

ItemDocument::~ItemDocument()
{
    // Commands point back at the document: they go first.
    m_undoStack->clear();
}

Result<std::unique_ptr<ItemDocument>> ItemDocument::load(ProjectStore &store, qint64 itemId,
                                                         qint64 taskId, qint64 annotatorId)
{
    auto item = store.item(itemId);
    if (!item)
        return item.error();
    auto task = store.task(taskId);
    if (!task)
        return task.error();
    if (item->kind != itemKindForTaskType(task->type))
        return makeError(QCoreApplication::translate("fieldmark::ItemDocument",
                                                     "item %1 is not a %2 item, as task '%3' "
                                                     "needs")
                             .arg(itemId)
                             .arg(itemKindName(itemKindForTaskType(task->type)), task->name));
    QList<Annotation> annotations = store.annotations(itemId, taskId);
    const QString skipReason = store.skipReason(itemId, taskId);
    return std::unique_ptr<ItemDocument>(new ItemDocument(store, std::move(item).value(),
                                                          std::move(task).value(), annotatorId,
                                                          std::move(annotations), skipReason));
}

QList<Annotation> ItemDocument::liveAnnotations() const
{
    QList<Annotation> live;
    std::copy_if(m_annotations.cbegin(), m_annotations.cend(), std::back_inserter(live), isLive);
    return live;
}

const Annotation *ItemDocument::annotation(qint64 id) const
{
    const auto it = std::find_if(m_annotations.cbegin(), m_annotations.cend(),
                                 [id](const Annotation &a) { return a.id == id; });
    return it == m_annotations.cend() ? nullptr : &*it;
}

QList<qint64> ItemDocument::awaitingReview() const
{
    QList<const Annotation *> pending;
    for (const Annotation &a : m_annotations) {
        if (a.provenance.state == LabelState::Machine)
            pending.append(&a);
    }
    std::stable_sort(pending.begin(), pending.end(), [](const Annotation *a, const Annotation *b) {
        return a->provenance.confidence.value_or(0) < b->provenance.confidence.value_or(0);
    });
    QList<qint64> ids;
    for (const Annotation *a : pending)
        ids.append(a->id);
    return ids;
}

void ItemDocument::setSelection(const QSet<qint64> &ids)
{
    QSet<qint64> valid;
    for (qint64 id : ids) {
        if (annotation(id))
            valid.insert(id);
    }
    if (valid == m_selection)
        return;
    m_selection = valid;
    Q_EMIT changed({ChangeEvent::Kind::SelectionChanged, m_selection.values()});
}

// ---- edits --------------------------------------------------------------------------------------

Result<QList<qint64>> ItemDocument::addAnnotations(const QList<NewAnnotation> &annotations,
                                                   const QString &text)
{
    if (annotations.isEmpty())
        return QList<qint64>{};
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<Annotation> values;
    for (const NewAnnotation &n : annotations) {
        if (auto fits = checkShape(n.shape); !fits)
            return fits.error();
        Annotation a;
        a.itemId = m_item.id;
        a.taskId = m_task.id;
        a.classId = n.classId;
        a.shape = n.shape;
        a.attributes = n.attributes;
        a.provenance.state = LabelState::Human;
        a.provenance.annotatorId = m_annotatorId;
        a.provenance.timeMs = now;
        values.append(std::move(a));
    }
    auto command = std::make_unique<AddAnnotations>(this, values, text);
    const QList<AnnotationRefPtr> refs = command->addedRefs();
    if (auto pushed = push(std::move(command)); !pushed)
        return pushed.error();
    QList<qint64> ids;
    for (const AnnotationRefPtr &ref : refs)
        ids.append(ref->id);
    return ids;
}

Result<qint64> ItemDocument::addAnnotation(qint64 classId, const Shape &shape)
{
    auto ids = addAnnotations({NewAnnotation{classId, shape}});
    if (!ids)
        return ids.error();
    return ids->constFirst();
}

Result<qint64> ItemDocument::addSpan(qint64 classId, qsizetype utf16Start, qsizetype utf16End)
{
    auto span = m_textIndex.spanFromUtf16(utf16Start, utf16End);
    if (!span)
        return makeError(
            QCoreApplication::translate("fieldmark::ItemDocument", "No span added to item %1: %2")
                .arg(m_item.id)
                .arg(span.errorString()));
    return addAnnotation(classId, *span);
}

Result<void> ItemDocument::changeSpan(qint64 id, qsizetype utf16Start, qsizetype utf16End,
                                      int mergeKey)
{
    auto span = m_textIndex.spanFromUtf16(utf16Start, utf16End);
    if (!span)
        return makeError(QCoreApplication::translate("fieldmark::ItemDocument",
                                                     "The span on item %1 was not changed: %2")
                             .arg(m_item.id)
                             .arg(span.errorString()));
    return changeShape(id, *span, mergeKey);
}

Result<void> ItemDocument::removeAnnotations(const QList<qint64> &ids)
{
    QList<qint64> present;
    for (qint64 id : ids) {
        if (annotation(id))
            present.append(id);
    }
    if (present.isEmpty())
        return {};
    return push(std::make_unique<RemoveAnnotations>(this, present));
}

Result<void> ItemDocument::deleteAnnotations(const QList<qint64> &ids)
{
    QList<qint64> pending;
    QList<qint64> others;
    for (qint64 id : ids) {
        const Annotation *a = annotation(id);
        if (!a || !isLive(*a))
            continue;
        (a->provenance.state == LabelState::Machine ? pending : others).append(id);
    }
    if (pending.isEmpty())
        return removeAnnotations(others);
    if (others.isEmpty())
        return reject(pending);
    m_undoStack->beginMacro(QCoreApplication::translate("fieldmark::ItemDocument",
                                                        "Delete %n Annotation(s)", nullptr,
                                                        int(pending.size() + others.size())));
    Result<void> result = reject(pending);
    if (result)
        result = removeAnnotations(others);
    m_undoStack->endMacro();
    if (!result && m_undoStack->canUndo() && m_undoStack->index() > 0) {
        // Half done: take back the part that was saved, so the step is all or nothing.
        m_undoStack->undo();
    }
    return result;
}

Annotation ItemDocument::humanEdit(const Annotation &before) const
{
    Annotation after = before;
    if (isMachineOrigin(before.provenance.state))
        after.provenance.state = LabelState::MachineEdited;
    after.provenance.annotatorId = m_annotatorId;
    after.provenance.timeMs = QDateTime::currentMSecsSinceEpoch();
    return after;
}

Result<void> ItemDocument::checkShape(const Shape &shape) const
{
    const auto *span = std::get_if<Span>(&shape);
    if (!span)
        return {}; // the store checks the rest against the image when it saves
    if (m_item.kind != ItemKind::Text)
        return makeError(QCoreApplication::translate("fieldmark::ItemDocument",
                                                     "Item %1 is an image: it has no text to "
                                                     "mark a span in")
                             .arg(m_item.id));
    if (auto valid = validateSpan(*span, m_item.text); !valid)
        return makeError(QCoreApplication::translate("fieldmark::ItemDocument",
                                                     "The span on item %1 was refused: %2")
                             .arg(m_item.id)
                             .arg(valid.errorString()));
    return {};
}

Result<void> ItemDocument::changeShape(qint64 id, const Shape &shape, int mergeKey)
{
    const Annotation *current = annotation(id);
    if (!current)
        return makeError(QCoreApplication::translate("fieldmark::ItemDocument",
                                                     "annotation %1 is not on this item")
                             .arg(id));
    if (current->shape == shape)
        return {};
    if (auto fits = checkShape(shape); !fits)
        return fits.error();
    Annotation after = humanEdit(*current);
    after.shape = shape;
    return push(std::make_unique<ChangeShape>(this, after, mergeKey));
}

Result<void> ItemDocument::changeShapes(const QHash<qint64, Shape> &shapes, int mergeKey)
{
    // In id order, so the same annotations always give the same command to merge with.
    QList<qint64> ids = shapes.keys();
    std::sort(ids.begin(), ids.end());
    QList<Annotation> after;
    for (qint64 id : std::as_const(ids)) {
        const Annotation *current = annotation(id);
        if (!current)
            return makeError(QCoreApplication::translate("fieldmark::ItemDocument",
                                                         "annotation %1 is not on this item")
                                 .arg(id));
        if (auto fits = checkShape(shapes.value(id)); !fits)
            return fits.error();
        Annotation changed = humanEdit(*current);
        changed.shape = shapes.value(id);
        after.append(changed);
    }
    if (after.isEmpty())
        return {};
    return push(std::make_unique<ChangeShape>(this, after, mergeKey));
}

Result<void> ItemDocument::changeClass(const QList<qint64> &ids, qint64 classId)
{
    const LabelClass *labelClass = m_task.classById(classId);
    if (!labelClass)
        return makeError(QCoreApplication::translate("fieldmark::ItemDocument",
                                                     "task '%1' has no class with id %2")
                             .arg(m_task.name)
                             .arg(classId));
    QList<Annotation> after;
    for (qint64 id : ids) {
        const Annotation *current = annotation(id);
        if (!current || current->classId == classId || !isLive(*current))
            continue;
        Annotation changed = humanEdit(*current);
        changed.classId = classId;
        after.append(changed);
    }
    if (after.isEmpty())
        return {};
    return push(std::make_unique<ChangeClass>(this, after, labelClass->name));
}

Result<void> ItemDocument::setItemClass(qint64 classId)
{
    if (isMultiLabel(m_task.type))
        return toggleItemClass(classId);
    const LabelClass *labelClass = m_task.classById(classId);
    if (!labelClass)
        return makeError(QCoreApplication::translate("fieldmark::ItemDocument",
                                                     "task '%1' has no class with id %2")
                             .arg(m_task.name)
                             .arg(classId));
    QList<qint64> previous;
    for (const Annotation &a : m_annotations) {
        if (!isLive(a) || shapeKind(a.shape) != ShapeKind::ClassTag)
            continue;
        // The class the model proposed, chosen again: that is an acceptance.
        if (a.classId == classId) {
            if (a.provenance.state == LabelState::Machine)
                return accept({a.id});
            return {};
        }
        previous.append(a.id);
    }
    Annotation label;
    label.itemId = m_item.id;
    label.taskId = m_task.id;
    label.classId = classId;
    label.shape = ClassTag{};
    label.provenance.annotatorId = m_annotatorId;
    label.provenance.timeMs = QDateTime::currentMSecsSinceEpoch();
    return push(std::make_unique<SetItemClass>(this, label, previous, labelClass->name));
}

Result<void> ItemDocument::toggleItemClass(qint64 classId)
{
    for (const Annotation &a : m_annotations) {
        if (!isLive(a) || a.classId != classId || shapeKind(a.shape) != ShapeKind::ClassTag)
            continue;
        // Toggling off a proposed class rejects it; a person's own label is removed.
        if (a.provenance.state == LabelState::Machine)
            return reject({a.id});
        return removeAnnotations({a.id});
    }
    auto added = addAnnotations({NewAnnotation{classId, ClassTag{}}});
    if (!added)
        return added.error();
    return {};
}

Result<void> ItemDocument::accept(const QList<qint64> &ids)
{
    QList<Annotation> after;
    for (qint64 id : ids) {
        const Annotation *current = annotation(id);
        if (!current || current->provenance.state != LabelState::Machine)
            continue;
        Annotation accepted = *current;
        accepted.provenance.state = LabelState::MachineAccepted;
        accepted.provenance.annotatorId = m_annotatorId;
        after.append(accepted);
    }
    if (after.isEmpty())
        return {};
    return push(std::make_unique<ReviewAnnotations>(this, after, true));
}

Result<void> ItemDocument::acceptAll()
{
    return accept(awaitingReview());
}

Result<void> ItemDocument::reject(const QList<qint64> &ids)
{
    QList<Annotation> after;
    for (qint64 id : ids) {
        const Annotation *current = annotation(id);
        if (!current || !isMachineOrigin(current->provenance.state))
            continue;
        Annotation rejected = *current;
        rejected.provenance.state = LabelState::Rejected;
        rejected.provenance.annotatorId = m_annotatorId;
        after.append(rejected);
    }
    if (after.isEmpty())
        return {};
    return push(std::make_unique<ReviewAnnotations>(this, after, false));
}

Result<void> ItemDocument::setSkipped(const QString &reason)
{
    if (reason == m_skipReason)
        return {};
    return push(std::make_unique<SetSkipped>(this, reason));
}

// ---- plumbing -----------------------------------------------------------------------------------

Result<void> ItemDocument::push(std::unique_ptr<DocumentCommand> command)
{
    // The first redo saves the edit; only a saved edit goes on the stack, so a refused one
    // (an invalid shape, a store that cannot be written) leaves no step to undo.
    m_firstRun = true;
    command->redo();
    m_firstRun = false;
    if (!command->lastResult())
        return command->lastResult();
    m_skipRedo = true; // QUndoStack::push runs redo() again
    m_undoStack->push(command.release());
    m_skipRedo = false;
    return {};
}

bool ItemDocument::consumeSkipRedo()
{
    const bool skip = m_skipRedo;
    m_skipRedo = false;
    return skip;
}

AnnotationRefPtr ItemDocument::refFor(qint64 id)
{
    AnnotationRefPtr &ref = m_refs[id];
    if (!ref)
        ref = std::make_shared<AnnotationRef>(AnnotationRef{id});
    return ref;
}

void ItemDocument::insertAnnotation(const Annotation &annotation)
{
    const auto at = std::lower_bound(m_annotations.begin(), m_annotations.end(), annotation.id,
                                     [](const Annotation &a, qint64 id) { return a.id < id; });
    m_annotations.insert(at, annotation);
}

void ItemDocument::eraseAnnotation(qint64 id)
{
    m_annotations.removeIf([id](const Annotation &a) { return a.id == id; });
    m_refs.remove(id);
    if (m_selection.remove(id))
        Q_EMIT changed({ChangeEvent::Kind::SelectionChanged, m_selection.values()});
}

void ItemDocument::replaceAnnotation(const Annotation &annotation)
{
    for (Annotation &a : m_annotations) {
        if (a.id == annotation.id) {
            a = annotation;
            break;
        }
    }
    if (!isLive(annotation) && m_selection.remove(annotation.id))
        Q_EMIT changed({ChangeEvent::Kind::SelectionChanged, m_selection.values()});
}

void ItemDocument::setSkipReason(const QString &reason)
{
    m_skipReason = reason;
    Q_EMIT changed({ChangeEvent::Kind::SkipChanged, {}});
}

void ItemDocument::reportFailure(const QString &message)
{
    if (!m_firstRun)
        Q_EMIT saveFailed(message);
}

} // namespace fieldmark
