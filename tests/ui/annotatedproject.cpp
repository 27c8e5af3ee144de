#include "annotatedproject.h"

#include "uitestutil.h"

#include "core/import/importer.h"
#include "core/store/projectstore.h"

#include <QDir>

namespace fieldmark::test {

QString AnnotatedProject::media(const QString &name) const
{
    return QDir(mediaDir).filePath(name);
}

QString AnnotatedProject::path(const QString &name) const
{
    return root.filePath(name);
}

std::unique_ptr<AnnotatedProject> AnnotatedProject::create()
{
    auto project = std::make_unique<AnnotatedProject>();
    if (!project->root.isValid())
        return nullptr;
    project->projectDir = project->root.filePath(QStringLiteral("project"));
    project->mediaDir = project->root.filePath(QStringLiteral("media"));
    QDir().mkpath(project->mediaDir);
    const QStringList names = {QStringLiteral("red.png"), QStringLiteral("green.png"),
                               QStringLiteral("blue.png")};
    if (!makeImage(320, 200, QColor(220, 40, 40)).save(project->media(names[0])) ||
        !makeImage(200, 320, QColor(40, 200, 60)).save(project->media(names[1])) ||
        !makeImage(256, 256, QColor(40, 60, 220)).save(project->media(names[2])))
        return nullptr;

    auto store = ProjectStore::create(project->projectDir);
    if (!store)
        return nullptr;
    auto vehicles = (*store)->addTask(
        QStringLiteral("vehicles"), TaskType::Boxes,
        {QStringLiteral("car"), QStringLiteral("tree"), QStringLiteral("person")});
    auto regions = (*store)->addTask(QStringLiteral("regions"), TaskType::Segmentation,
                                     {QStringLiteral("road"), QStringLiteral("sky")});
    if (!vehicles || !regions)
        return nullptr;
    project->vehicles = *vehicles;
    project->regions = *regions;
    // One at a time, so item ids follow the order of the names.
    Importer importer(**store);
    for (const QString &name : names) {
        auto summary = importer.importImages({project->media(name)});
        if (!summary || summary->added != 1)
            return nullptr;
    }
    project->itemIds = (*store)->itemIds();
    if (project->itemIds.size() != 3)
        return nullptr;

    const auto add = [&store](qint64 item, const LabelTask &task, int classIndex, Shape shape,
                              LabelState state = LabelState::Human,
                              std::optional<double> confidence = {}) {
        Annotation annotation;
        annotation.itemId = item;
        annotation.taskId = task.id;
        annotation.classId = task.classes.at(classIndex).id;
        annotation.shape = std::move(shape);
        annotation.provenance.state = state;
        annotation.provenance.confidence = confidence;
        return bool((*store)->addAnnotation(annotation));
    };
    const QList<qint64> &ids = project->itemIds;
    const bool added =
        add(ids[0], project->vehicles, 0, Box{10, 10, 50, 40}) &&
        add(ids[1], project->vehicles, 1, Box{20, 30, 40, 60}) &&
        add(ids[2], project->vehicles, 2, Box{5, 5, 30, 30}, LabelState::Machine, 0.8) &&
        add(ids[0], project->regions, 0, Mask{RleMask(QRect(10, 10, 8, 8), {0, 64})}) &&
        add(ids[2], project->regions, 1,
            Polygon{{QPointF(10, 10), QPointF(100, 12), QPointF(60, 90)}});
    if (!added)
        return nullptr;
    return project;
}

} // namespace fieldmark::test
