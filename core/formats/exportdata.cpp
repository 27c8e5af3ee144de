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
    QList<Item> items = store.items(itemKindForTaskType(data.task.type));
    data.items.reserve(items.size());
    for (Item &item : items) {
        const qint64 id = item.id;
        data.items.append(ExportItem{std::move(item), byItem.take(id)});
    }
    return data;
}

} // namespace fieldmark
