#pragma once

#include <QList>
#include <QMetaType>

namespace fieldmark {

// What changed in an ItemDocument, for views to update only that. One type for every change,
// so views connect to a single signal.
struct ChangeEvent
{
    enum class Kind {
        AnnotationsAdded,   // ids: the new annotations
        AnnotationsRemoved, // ids: gone from the document (and the store)
        AnnotationsChanged, // ids: shape, class or review state changed
        SelectionChanged,   // ids: the new selection
        SkipChanged,        // the item's "nothing to label" mark or its reason
    };

    Kind kind = Kind::AnnotationsChanged;
    QList<qint64> ids;
};

} // namespace fieldmark

Q_DECLARE_METATYPE(fieldmark::ChangeEvent)
