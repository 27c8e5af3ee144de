#include "textformatsupport.h"

#include <QFile>
#include <QMap>
#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace fieldmark {

Result<QString> readUtf8File(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(u"cannot open %1: %2"_s.arg(path, file.errorString()));
    const QByteArray bytes = file.readAll();
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return makeError(u"%1: not valid UTF-8 text"_s.arg(path));
    if (text.startsWith(QChar(0xfeff)))
        text.remove(0, 1);
    return text;
}

QString lineRef(const QString &file, qsizetype line)
{
    return u"%1:%2"_s.arg(file).arg(line);
}

QHash<qint64, QString> classNamesById(const LabelTask &task)
{
    QHash<qint64, QString> names;
    for (const LabelClass &labelClass : task.classes)
        names.insert(labelClass.id, labelClass.name);
    return names;
}

Error unknownClassError(const QString &path, const Item &item, qint64 classId,
                        const LabelTask &task)
{
    const QString which = !item.sourceRef.isEmpty() ? item.sourceRef
                          : !item.path.isEmpty()    ? item.path
                                                    : u"item %1"_s.arg(item.id);
    return makeError(u"cannot write %1: an annotation on %2 has class id %3, which task \"%4\" "
                     u"does not have"_s.arg(path, which)
                         .arg(classId)
                         .arg(task.name));
}

void appendTextFormatLosses(LossReport &report, const ExportData &data,
                            const QList<ShapeKind> &written, const QString &format,
                            const QString &carries)
{
    // Counted here rather than with LabelCensus, which leaves tags and spans out of its
    // confidence and provenance counts (image formats do not write them at all).
    QMap<int, qsizetype> unwritten; // by ShapeKind, so the lines come in a fixed order
    qsizetype withConfidence = 0;
    LabelCensus census;
    for (const ExportItem &item : data.items) {
        for (const Annotation &annotation : item.annotations) {
            const ShapeKind kind = shapeKind(annotation.shape);
            if (!written.contains(kind)) {
                ++unwritten[int(kind)];
                continue;
            }
            if (annotation.provenance.confidence)
                ++withConfidence;
            if (annotation.provenance.state != LabelState::Human)
                ++census.notHuman;
        }
    }
    for (auto it = unwritten.cbegin(); it != unwritten.cend(); ++it)
        report.losses.append(u"%1 %2 labels are not written: %3 carries %4 only"_s.arg(
            QString::number(it.value()), shapeKindName(ShapeKind(it.key())), format, carries));
    if (withConfidence > 0)
        report.losses.append(u"confidences are not kept: %1 labels have one"_s.arg(withConfidence));
    appendProvenanceLoss(report, census);
}

} // namespace fieldmark
