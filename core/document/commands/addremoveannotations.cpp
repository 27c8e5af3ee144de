#include "addremoveannotations.h"

#include "core/store/projectstore.h"

#include <QCoreApplication>

namespace fieldmark {

AddRemoveAnnotations::AddRemoveAnnotations(ItemDocument *document, const QList<Annotation> &added,
                                           const QList<qint64> &removed, const QString &text)
    : DocumentCommand(document, text)
    , m_added(added)
{
    for (qsizetype i = 0; i < m_added.size(); ++i)
        m_addedRefs.append(std::make_shared<AnnotationRef>());
    for (qint64 id : removed) {
        if (const Annotation *a = document->annotation(id)) {
            m_removed.append(*a);
            m_removedRefs.append(document->refFor(id));
        }
    }
}

Result<void> AddRemoveAnnotations::forward()
{
    return apply(m_removed, m_removedRefs, m_added, m_addedRefs);
}

Result<void> AddRemoveAnnotations::backward()
{
    return apply(m_added, m_addedRefs, m_removed, m_removedRefs);
}

Result<void> AddRemoveAnnotations::apply(QList<Annotation> &take,
                                         const QList<AnnotationRefPtr> &takeRefs,
                                         const QList<Annotation> &put,
                                         const QList<AnnotationRefPtr> &putRefs)
{
    ProjectStore &store = m_document->store();
    QList<Annotation> stored;
    auto saved = store.transact([&]() -> Result<void> {
        for (qsizetype i = 0; i < takeRefs.size(); ++i) {
            if (auto removed = store.removeAnnotation(takeRefs[i]->id); !removed)
                return removed;
        }
        for (const Annotation &value : put) {
            Annotation a = value;
            a.id = 0;
            auto id = store.addAnnotation(a);
            if (!id)
                return id.error();
            a.id = *id;
            stored.append(a);
        }
        return {};
    });
    if (!saved)
        return saved;

    // Saved: now the document follows, and the values taken out are kept for the way back.
    ChangeEvent removedEvent{ChangeEvent::Kind::AnnotationsRemoved, {}};
    for (qsizetype i = 0; i < takeRefs.size(); ++i) {
        if (const Annotation *current = m_document->annotation(takeRefs[i]->id))
            take[i] = *current;
        removedEvent.ids.append(takeRefs[i]->id);
        m_document->eraseAnnotation(takeRefs[i]->id);
    }
    ChangeEvent addedEvent{ChangeEvent::Kind::AnnotationsAdded, {}};
    for (qsizetype i = 0; i < stored.size(); ++i) {
        putRefs[i]->id = stored[i].id;
        m_document->m_refs.insert(stored[i].id, putRefs[i]);
        m_document->insertAnnotation(stored[i]);
        addedEvent.ids.append(stored[i].id);
    }
    if (!removedEvent.ids.isEmpty())
        Q_EMIT m_document->changed(removedEvent);
    if (!addedEvent.ids.isEmpty())
        Q_EMIT m_document->changed(addedEvent);
    return {};
}

AddAnnotations::AddAnnotations(ItemDocument *document, const QList<Annotation> &added,
                               const QString &text)
    : AddRemoveAnnotations(document, added, {},
                           text.isEmpty() ? QCoreApplication::translate("fieldmark::AddAnnotations",
                                                                        "Add %n Annotation(s)",
                                                                        nullptr, int(added.size()))
                                          : text)
{}

RemoveAnnotations::RemoveAnnotations(ItemDocument *document, const QList<qint64> &removed)
    : AddRemoveAnnotations(document, {}, removed,
                           QCoreApplication::translate("fieldmark::RemoveAnnotations",
                                                       "Remove %n Annotation(s)", nullptr,
                                                       int(removed.size())))
{}

SetItemClass::SetItemClass(ItemDocument *document, const Annotation &label,
                           const QList<qint64> &previous, const QString &className)
    : AddRemoveAnnotations(
          document, {label}, previous,
          QCoreApplication::translate("fieldmark::SetItemClass", "Set Class to %1").arg(className))
{}

} // namespace fieldmark
