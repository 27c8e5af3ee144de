#pragma once

#include "core/document/commands/documentcommand.h"
#include "core/document/itemdocument.h"

namespace fieldmark {

// Takes annotations out of an item and puts others in, as one undo step saved in one
// transaction. Adding and removing are the same operation run in opposite directions, so
// AddAnnotations, RemoveAnnotations and SetItemClass share this base: redo removes
// `removed` and adds `added`, undo does the reverse. While an annotation is out of the
// document, the command holds its value (the "owner" of it), and puts it back with its
// provenance intact.
class AddRemoveAnnotations : public DocumentCommand
{
public:
    AddRemoveAnnotations(ItemDocument *document, const QList<Annotation> &added,
                         const QList<qint64> &removed, const QString &text);

    // The refs of the added annotations, in the order given (their ids are valid after redo).
    const QList<AnnotationRefPtr> &addedRefs() const { return m_addedRefs; }

protected:
    Result<void> forward() override;
    Result<void> backward() override;

private:
    Result<void> apply(QList<Annotation> &take, const QList<AnnotationRefPtr> &takeRefs,
                       const QList<Annotation> &put, const QList<AnnotationRefPtr> &putRefs);

    QList<Annotation> m_added;
    QList<AnnotationRefPtr> m_addedRefs;
    QList<Annotation> m_removed;
    QList<AnnotationRefPtr> m_removedRefs;
};

class AddAnnotations : public AddRemoveAnnotations
{
public:
    AddAnnotations(ItemDocument *document, const QList<Annotation> &added, const QString &text);
};

class RemoveAnnotations : public AddRemoveAnnotations
{
public:
    RemoveAnnotations(ItemDocument *document, const QList<qint64> &removed);
};

// A single-label item's class: the old class label out, the new one in.
class SetItemClass : public AddRemoveAnnotations
{
public:
    SetItemClass(ItemDocument *document, const Annotation &label, const QList<qint64> &previous,
                 const QString &className);
};

} // namespace fieldmark
