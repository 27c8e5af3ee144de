#include "exportdata.h"

#include "core/store/projectstore.h"

namespace fieldmark {

QList<LabelState> labelStatesFor(ExportLabels labels)
{
    switch (labels) {
    case ExportLabels::HumanOnly:
        return {LabelState::Human};
    case ExportLabels::All:
        return {LabelState::Human, LabelState::MachineAccepted, LabelState::MachineEdited,
                LabelState::Machine};
    case ExportLabels::Reviewed:
        break;
    }
    return {LabelState::Human, LabelState::MachineAccepted, LabelState::MachineEdited};
}

Result<ExportData> collectExportData(const ProjectStore &store, qint64 taskId, ExportLabels labels,
                                     const QString &datasetRoot)
{
    auto task = store.task(taskId);
    if (!task)
        return task.error();
    ExportData data;
    data.task = std::move(task).value();
    data.datasetRoot = datasetRoot;
    const QList<LabelState> states = labelStatesFor(labels);
    QHash<qint64, QList<Annotation>> byItem;
    for (Annotation &a : store.taskAnnotations(taskId)) {
        if (states.contains(a.provenance.state))
            byItem[a.itemId].append(std::move(a));
    }
    for (qint64 id : store.itemIds(itemKindForTaskType(data.task.type))) {
        auto item = store.item(id);
        if (!item)
            return item.error();
        data.items.append(ExportItem{std::move(item).value(), byItem.take(id)});
    }
    return data;
}

} // namespace fieldmark
