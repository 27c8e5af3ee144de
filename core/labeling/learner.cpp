#include "learner.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace fieldmark {

LearnerSchema LearnerSchema::of(const LabelTask &task)
{
    LearnerSchema schema;
    schema.type = task.type;
    int size = 0;
    for (const LabelClass &c : task.classes)
        size = std::max(size, c.position + 1);
    schema.classes = QStringList(size, QString());
    for (const LabelClass &c : task.classes)
        schema.classes[c.position] = c.name;
    return schema;
}

Result<void> checkSchemaMatches(const LearnerSchema &checkpoint, const LearnerSchema &expected,
                                const QString &where)
{
    if (checkpoint.type != expected.type)
        return makeError(u"%1 was trained for a %2 task, not %3"_s.arg(
            where, taskTypeName(checkpoint.type), taskTypeName(expected.type)));
    if (checkpoint.classes == expected.classes)
        return {};
    QStringList differences;
    const qsizetype n = std::max(checkpoint.classes.size(), expected.classes.size());
    for (qsizetype i = 0; i < n; ++i) {
        const QString had = checkpoint.classes.value(i);
        const QString wants = expected.classes.value(i);
        if (had == wants)
            continue;
        if (had.isEmpty())
            differences.append(u"'%1' is new"_s.arg(wants));
        else if (wants.isEmpty())
            differences.append(u"'%1' is not in this task"_s.arg(had));
        else
            differences.append(
                u"class %1 is '%2' there and '%3' here"_s.arg(i + 1).arg(had, wants));
    }
    return makeError(u"%1 was trained for other classes (%2); a model can only continue with "
                     u"the classes it was trained for"_s.arg(where, differences.join(u"; "_s)));
}

} // namespace fieldmark
