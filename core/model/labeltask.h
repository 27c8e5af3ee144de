#pragma once

#include "core/util/result.h"

#include <QColor>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace fieldmark {

enum class ItemKind;

enum class TaskType {
    ImageClassification = 0,
    ImageMultiLabel = 1,
    Boxes = 2,
    Segmentation = 3, // polygons and brush masks
    TextClassification = 4,
    TextMultiLabel = 5,
    Spans = 6,
};

// The command-line and file name of a task type ("boxes", "text-multilabel", ...).
QString taskTypeName(TaskType type);
Result<TaskType> taskTypeFromName(const QString &name);
QStringList taskTypeNames();
ItemKind itemKindForTaskType(TaskType type);
bool isMultiLabel(TaskType type);

struct LabelClass
{
    qint64 id = 0;
    QString name;
    QColor color;
    QString shortcut; // a QKeySequence in portable text form, e.g. "1" or "Shift+C"
    int position = 0; // stable order and export id, never reused after a rename
};

// A label task over a project's items: its type and its classes.
struct LabelTask
{
    qint64 id = 0;
    QString name;
    TaskType type = TaskType::ImageClassification;
    QList<LabelClass> classes;

    const LabelClass *classById(qint64 classId) const;
    const LabelClass *classByName(const QString &name) const;
    QString classNames(const QString &separator = QStringLiteral(", ")) const;
};

// A class name must be non-empty, printable, without leading or trailing blanks and
// without the characters that break the formats people export to (newline, tab, comma).
Result<void> validateClassName(const QString &name);

// A distinct default colour for the n-th class.
QColor defaultClassColor(int index);
// "1".."9", "0" for the first ten classes, none after.
QString defaultClassShortcut(int index);

} // namespace fieldmark
