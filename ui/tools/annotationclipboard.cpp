#include "annotationclipboard.h"

#include "core/document/itemdocument.h"
#include "core/model/validation.h"
#include "ui/tools/shapeops.h"

#include <QClipboard>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMimeData>

namespace fieldmark {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("fieldmark::AnnotationClipboard", text);
}

} // namespace

QMimeData *AnnotationClipboard::toMimeData(const ItemDocument &document, const QList<qint64> &ids)
{
    QJsonArray array;
    for (qint64 id : ids) {
        const Annotation *annotation = document.annotation(id);
        if (!annotation)
            continue;
        const LabelClass *labelClass = document.task().classById(annotation->classId);
        QJsonObject object{
            {QStringLiteral("taskId"), QString::number(annotation->taskId)},
            {QStringLiteral("classId"), QString::number(annotation->classId)},
            {QStringLiteral("className"), labelClass ? labelClass->name : QString()},
            {QStringLiteral("kind"), int(shapeKind(annotation->shape))},
            {QStringLiteral("shape"),
             QString::fromLatin1(encodeShape(annotation->shape).toBase64())},
        };
        if (!annotation->attributes.isEmpty())
            object.insert(QStringLiteral("attributes"), annotation->attributes);
        array.append(object);
    }
    auto *data = new QMimeData;
    data->setData(MimeType, QJsonDocument(array).toJson(QJsonDocument::Compact));
    return data;
}

Result<QList<NewAnnotation>> AnnotationClipboard::fromMimeData(const QMimeData &data,
                                                               const ItemDocument &document)
{
    if (!data.hasFormat(MimeType))
        return makeError(tr("The clipboard holds no annotations."));
    const QJsonArray array = QJsonDocument::fromJson(data.data(MimeType)).array();
    const LabelTask &task = document.task();
    const Item &item = document.item();
    const QRectF image(0, 0, item.width, item.height);
    QList<NewAnnotation> added;
    int leftOut = 0;
    for (const QJsonValue &value : array) {
        const QJsonObject object = value.toObject();
        const LabelClass *labelClass = nullptr;
        if (object.value(QStringLiteral("taskId")).toString().toLongLong() == task.id)
            labelClass =
                task.classById(object.value(QStringLiteral("classId")).toString().toLongLong());
        if (!labelClass)
            labelClass = task.classByName(object.value(QStringLiteral("className")).toString());
        auto shape = decodeShape(
            ShapeKind(object.value(QStringLiteral("kind")).toInt()),
            QByteArray::fromBase64(object.value(QStringLiteral("shape")).toString().toLatin1()));
        if (!labelClass || !shape) {
            ++leftOut;
            continue;
        }
        NewAnnotation annotation{labelClass->id, *shape,
                                 object.value(QStringLiteral("attributes")).toObject()};
        if (const auto *box = std::get_if<Box>(&annotation.shape)) {
            const QRectF clipped = shapeops::clampRect(box->rect(), image);
            annotation.shape = Box{clipped.x(), clipped.y(), clipped.width(), clipped.height()};
        }
        Annotation candidate;
        candidate.classId = annotation.classId;
        candidate.shape = annotation.shape;
        candidate.taskId = task.id;
        if (!validateAnnotation(candidate, item, task)) {
            ++leftOut;
            continue;
        }
        added.append(annotation);
    }
    if (added.isEmpty())
        return makeError(leftOut > 0 ? tr("None of the copied annotations fits this item "
                                          "(another task's shapes or classes, or outside "
                                          "the image).")
                                     : tr("The clipboard holds no annotations."));
    return added;
}

bool AnnotationClipboard::copy(const ItemDocument &document)
{
    if (document.selection().isEmpty())
        return false;
    QList<qint64> ids = document.selection().values();
    std::sort(ids.begin(), ids.end());
    QGuiApplication::clipboard()->setMimeData(toMimeData(document, ids));
    return true;
}

Result<QList<qint64>> AnnotationClipboard::paste(ItemDocument &document)
{
    const QMimeData *data = QGuiApplication::clipboard()->mimeData();
    if (!data)
        return makeError(tr("The clipboard holds no annotations."));
    auto annotations = fromMimeData(*data, document);
    if (!annotations)
        return annotations.error();
    auto ids = document.addAnnotations(*annotations);
    if (!ids)
        return ids.error();
    document.setSelection(QSet<qint64>(ids->cbegin(), ids->cend()));
    return ids;
}

} // namespace fieldmark
