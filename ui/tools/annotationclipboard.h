#pragma once

#include "core/document/itemdocument.h"
#include "core/util/result.h"

#include <QList>

class QMimeData;

namespace fieldmark {

class ItemDocument;

// Copies annotations to the system clipboard under Fieldmark's own MIME type and pastes them
// onto another item of the same task: classes are matched by id, then by name; shapes are
// kept inside the new image (boxes clipped, polygons and masks that do not fit left out).
class AnnotationClipboard
{
public:
    static inline const QString MimeType = QStringLiteral("application/x-fieldmark-annotations");

    static QMimeData *toMimeData(const ItemDocument &document, const QList<qint64> &ids);
    // What pasting `data` into `document` would add; refused when nothing fits.
    static Result<QList<NewAnnotation>> fromMimeData(const QMimeData &data,
                                                     const ItemDocument &document);

    // The document's selection to the clipboard; false when nothing is selected.
    static bool copy(const ItemDocument &document);
    // The clipboard's annotations into the document as one undo step, then selected.
    static Result<QList<qint64>> paste(ItemDocument &document);
};

} // namespace fieldmark
