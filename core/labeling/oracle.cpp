#include "oracle.h"

#include "core/formats/annotationimport.h"
#include "core/labeling/itemanswers.h"
#include "core/store/projectstore.h"

using namespace Qt::StringLiterals;

namespace fieldmark {

Result<Oracle> readOracle(const ProjectStore &store, qint64 taskId, const Format &format,
                          const QString &path)
{
    auto task = store.task(taskId);
    if (!task)
        return task.error();
    AnnotationImportOptions options;
    options.taskId = taskId;
    options.addMissingItems = false;
    auto plan = planAnnotationImport(store, format, path, options);
    if (!plan)
        return plan.error();
    if (!plan->problems.isEmpty())
        return makeError(u"%1: %2 (and %3 more problems)"_s
                             .arg(plan->problems[0].where, plan->problems[0].reason)
                             .arg(plan->problems.size() - 1));
    if (!plan->unknownClasses.isEmpty())
        return makeError(u"%1 names classes task '%2' lacks: %3"_s.arg(
            path, task->name, plan->unknownClasses.join(u", "_s)));
    const bool spans = task->type == TaskType::Spans;
    const bool single = !spans && !isMultiLabel(task->type);
    Oracle oracle;
    for (qsizetype i = 0; i < plan->read.items.size(); ++i) {
        if (plan->itemIds[i] == 0) {
            ++oracle.unmatched;
            continue;
        }
        LearnerTruth truth;
        for (const ImportedAnnotation &a : plan->read.items[i].annotations) {
            const LabelClass *c = task->classByName(a.className);
            if (!c)
                continue;
            if (spans && shapeKind(a.shape) == ShapeKind::Span)
                truth.spans.append({std::get<Span>(a.shape), c->position});
            else if (!spans && shapeKind(a.shape) == ShapeKind::ClassTag)
                truth.classes.append(c->position);
            if (single && !truth.classes.isEmpty())
                break;
        }
        if (single && truth.classes.isEmpty())
            continue;
        oracle.truth.insert(plan->itemIds[i], normalisedAnswer(std::move(truth)));
    }
    return oracle;
}

} // namespace fieldmark
