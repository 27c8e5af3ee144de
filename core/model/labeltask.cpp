#include "labeltask.h"

#include "core/model/item.h"

#include <array>

namespace fieldmark {

namespace {

struct TaskTypeInfo
{
    TaskType type;
    const char *name;
};

constexpr std::array<TaskTypeInfo, 7> kTaskTypes{{
    {TaskType::ImageClassification, "image-class"},
    {TaskType::ImageMultiLabel, "image-multilabel"},
    {TaskType::Boxes, "boxes"},
    {TaskType::Segmentation, "segmentation"},
    {TaskType::TextClassification, "text-class"},
    {TaskType::TextMultiLabel, "text-multilabel"},
    {TaskType::Spans, "spans"},
}};

} // namespace

QString itemKindName(ItemKind kind)
{
    return kind == ItemKind::Image ? QStringLiteral("image") : QStringLiteral("text");
}

QString taskTypeName(TaskType type)
{
    for (const auto &info : kTaskTypes) {
        if (info.type == type)
            return QString::fromLatin1(info.name);
    }
    return QStringLiteral("unknown");
}

QStringList taskTypeNames()
{
    QStringList names;
    for (const auto &info : kTaskTypes)
        names.append(QString::fromLatin1(info.name));
    return names;
}

Result<TaskType> taskTypeFromName(const QString &name)
{
    for (const auto &info : kTaskTypes) {
        if (name == QLatin1String(info.name))
            return info.type;
    }
    return makeError(QStringLiteral("unknown task type '%1' (expected one of: %2)")
                         .arg(name, taskTypeNames().join(QStringLiteral(", "))));
}

ItemKind itemKindForTaskType(TaskType type)
{
    switch (type) {
    case TaskType::TextClassification:
    case TaskType::TextMultiLabel:
    case TaskType::Spans:
        return ItemKind::Text;
    default:
        return ItemKind::Image;
    }
}

bool isMultiLabel(TaskType type)
{
    return type == TaskType::ImageMultiLabel || type == TaskType::TextMultiLabel;
}

const LabelClass *LabelTask::classById(qint64 classId) const
{
    for (const LabelClass &c : classes) {
        if (c.id == classId)
            return &c;
    }
    return nullptr;
}

const LabelClass *LabelTask::classByName(const QString &name) const
{
    for (const LabelClass &c : classes) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

QString LabelTask::classNames(const QString &separator) const
{
    QStringList names;
    for (const LabelClass &c : classes)
        names.append(c.name);
    return names.join(separator);
}

Result<void> validateClassName(const QString &name)
{
    if (name.isEmpty())
        return makeError(QStringLiteral("a class name cannot be empty"));
    if (name.trimmed() != name)
        return makeError(
            QStringLiteral("class name '%1' has leading or trailing blanks").arg(name));
    if (name.size() > 200)
        return makeError(
            QStringLiteral("class name '%1…' is longer than 200 characters").arg(name.left(20)));
    for (const QChar c : name) {
        if (c == QLatin1Char(',') || c.category() == QChar::Other_Control)
            return makeError(
                QStringLiteral("class name '%1' contains a comma or a control character")
                    .arg(name));
    }
    return {};
}

QColor defaultClassColor(int index)
{
    // Golden-angle hues give neighbouring classes distinct colours for any number of classes.
    const int hue = int(std::fmod(index * 137.508, 360.0));
    return QColor::fromHsv(hue, 200, 230);
}

QString defaultClassShortcut(int index)
{
    if (index < 9)
        return QString::number(index + 1);
    if (index == 9)
        return QStringLiteral("0");
    return {};
}

} // namespace fieldmark
