#pragma once

#include "core/document/commands/documentcommand.h"
#include "core/document/itemdocument.h"

namespace fieldmark {

// Changes annotations in place (shape, class, review state), as one undo step saved in one
// transaction: redo writes the `after` values, undo the `before` values. ChangeShape,
// ChangeClass and ReviewAnnotations are its named forms.
class ChangeAnnotations : public DocumentCommand
{
public:
    // `after` holds the new values of annotations now in the document (matched by id).
    ChangeAnnotations(ItemDocument *document, const QList<Annotation> &after, const QString &text);

protected:
    Result<void> forward() override { return apply(m_after); }
    Result<void> backward() override { return apply(m_before); }
    Result<void> apply(const QList<Annotation> &values);

    QList<AnnotationRefPtr> m_refs;
    QList<Annotation> m_before;
    QList<Annotation> m_after;
};

// A new shape for one annotation. Successive changes with the same non-zero merge key (the
// moves of one drag) merge into one undo step.
class ChangeShape : public ChangeAnnotations
{
public:
    ChangeShape(ItemDocument *document, const Annotation &after, int mergeKey);
    // Several annotations at once (a selection being moved); merges only with a change of the
    // same annotations under the same key.
    ChangeShape(ItemDocument *document, const QList<Annotation> &after, int mergeKey);

    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    int m_mergeKey = 0;
};

class ChangeClass : public ChangeAnnotations
{
public:
    ChangeClass(ItemDocument *document, const QList<Annotation> &after, const QString &className);
};

// A reviewer's verdict on machine labels: accepted or rejected.
class ReviewAnnotations : public ChangeAnnotations
{
public:
    ReviewAnnotations(ItemDocument *document, const QList<Annotation> &after, bool accepted);
};

} // namespace fieldmark
