#pragma once

#include "core/formats/format.h"

#include <QHash>
#include <QString>

namespace fieldmark {

// What the text annotation formats (CoNLL, JSON Lines, CSV) share: reading a UTF-8 file,
// naming a line in messages, and the loss lines of a format that writes one kind of label.

// The file as text, its UTF-8 byte order mark dropped; an error names the file.
Result<QString> readUtf8File(const QString &path);

// "data.jsonl:12": where a problem is, for messages.
QString lineRef(const QString &file, qsizetype line);

// Class names by class id, for writers that write names.
QHash<qint64, QString> classNamesById(const LabelTask &task);

// The message of a writer refusing an annotation whose class the task lacks.
Error unknownClassError(const QString &path, const Item &item, qint64 classId,
                        const LabelTask &task);

// Losses of a format that writes the `written` kinds of label and nothing else: every other
// kind is counted as not written, and the confidences and provenance of the written ones
// are counted as not kept. `carries` says what the format holds, in words ("text spans").
void appendTextFormatLosses(LossReport &report, const ExportData &data,
                            const QList<ShapeKind> &written, const QString &format,
                            const QString &carries);

} // namespace fieldmark
