#include "changeannotations.h"

#include "core/store/projectstore.h"

#include <QCoreApplication>

namespace fieldmark {

namespace {
// QUndoCommand ids for merging: one per command type that merges.
constexpr int kChangeShapeId = 1;
} // namespace

ChangeAnnotations::ChangeAnnotations(ItemDocument *document, const QList<Annotation> &after,
                                     const QString &text)
    : DocumentCommand(document, text)
{
    for (const Annotation &value : after) {
        if (const Annotation *current = document->annotation(value.id)) {
            m_refs.append(document->refFor(value.id));
            m_before.append(*current);
            m_after.append(value);
        }
    }
}

Result<void> ChangeAnnotations::apply(const QList<Annotation> &values)
{
    ProjectStore &store = m_document->store();
    QList<Annotation> current;
    for (qsizetype i = 0; i < values.size(); ++i) {
        Annotation a = values[i];
        a.id = m_refs[i]->id; // the annotation may have been put back under a new id
        current.append(a);
    }
    auto saved = store.transact([&]() -> Result<void> {
        for (const Annotation &a : std::as_const(current)) {
            if (auto updated = store.updateAnnotation(a); !updated)
                return updated;
        }
        return {};
    });
    if (!saved)
        return saved;
    ChangeEvent event{ChangeEvent::Kind::AnnotationsChanged, {}};
    for (const Annotation &a : std::as_const(current)) {
        m_document->replaceAnnotation(a);
        event.ids.append(a.id);
    }
    Q_EMIT m_document->changed(event);
    return {};
}

ChangeShape::ChangeShape(ItemDocument *document, const Annotation &after, int mergeKey)
    : ChangeAnnotations(document, {after},
                        QCoreApplication::translate("fieldmark::ChangeShape", "Change %1")
                            .arg(shapeKindName(shapeKind(after.shape))))
    , m_mergeKey(mergeKey)
{}

ChangeShape::ChangeShape(ItemDocument *document, const QList<Annotation> &after, int mergeKey)
    : ChangeAnnotations(document, after,
                        after.size() == 1
                            ? QCoreApplication::translate("fieldmark::ChangeShape", "Change %1")
                                  .arg(shapeKindName(shapeKind(after.constFirst().shape)))
                            : QCoreApplication::translate("fieldmark::ChangeShape",
                                                          "Change %n Shape(s)", nullptr,
                                                          int(after.size())))
    , m_mergeKey(mergeKey)
{}

int ChangeShape::id() const
{
    return m_mergeKey != 0 ? kChangeShapeId : -1;
}

bool ChangeShape::mergeWith(const QUndoCommand *other)
{
    const auto *next = dynamic_cast<const ChangeShape *>(other);
    if (!next || next->m_mergeKey != m_mergeKey || next->m_refs != m_refs)
        return false;
    m_after = next->m_after;
    return true;
}

ChangeClass::ChangeClass(ItemDocument *document, const QList<Annotation> &after,
                         const QString &className)
    : ChangeAnnotations(document, after,
                        QCoreApplication::translate("fieldmark::ChangeClass", "Change Class to %1")
                            .arg(className))
{}

ReviewAnnotations::ReviewAnnotations(ItemDocument *document, const QList<Annotation> &after,
                                     bool accepted)
    : ChangeAnnotations(
          document, after,
          accepted ? QCoreApplication::translate("fieldmark::ReviewAnnotations",
                                                 "Accept %n Label(s)", nullptr, int(after.size()))
                   : QCoreApplication::translate("fieldmark::ReviewAnnotations",
                                                 "Reject %n Label(s)", nullptr, int(after.size())))
{}

} // namespace fieldmark
