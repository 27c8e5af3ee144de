#include "annotationimport.h"

#include "core/import/imageprobe.h"
#include "core/import/importer.h"
#include "core/model/validation.h"
#include "core/store/projectstore.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSet>
#include <QtConcurrent/QtConcurrentMap>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace {

// Annotations go to the store in chunks, so a cancel is noticed within a second or so.
constexpr qsizetype kChunk = 20000;

QString whereOf(const ImportedItem &item)
{
    return item.sourceRef.isEmpty() ? item.path : item.sourceRef;
}

// An annotation's identity within an item, to leave out what the project already holds.
QByteArray identityOf(qint64 classId, const Shape &shape)
{
    return QByteArray::number(classId) + ':' + QByteArray::number(int(shapeKind(shape))) + ':' +
           encodeShape(shape);
}

// A polygon whose outline folds onto itself (as tools write for thin or touching regions)
// cannot be a Fieldmark polygon, but its area is well defined: the pixels it covers (even-odd),
// kept as a mask.
std::optional<Mask> polygonAsMask(const Polygon &polygon, int width, int height)
{
    std::vector<cv::Point> points;
    points.reserve(size_t(polygon.points.size()));
    for (const QPointF &p : polygon.points)
        points.emplace_back(int(std::lround(p.x())), int(std::lround(p.y())));
    const cv::Rect bounds = cv::boundingRect(points) & cv::Rect(0, 0, width, height);
    if (bounds.empty())
        return std::nullopt;
    cv::Mat pixels = cv::Mat::zeros(bounds.height, bounds.width, CV_8UC1);
    for (cv::Point &p : points)
        p -= bounds.tl();
    const cv::Point *contour = points.data();
    const int count = int(points.size());
    cv::fillPoly(pixels, &contour, &count, 1, cv::Scalar(255));
    if (cv::countNonZero(pixels) == 0)
        return std::nullopt;
    return Mask{RleMask::fromMat(pixels, QPoint(bounds.x, bounds.y))};
}

bool isHuman(const ImportedAnnotation &a)
{
    return a.humanAnnotated.value_or(!a.confidence.has_value());
}

// The project's items of one kind, found by path (images), or by content (both).
struct ItemIndex
{
    QHash<QString, qsizetype> byPath;
    QHash<QByteArray, qsizetype> byHash;
    QList<Item> items;

    explicit ItemIndex(QList<Item> all)
        : items(std::move(all))
    {
        for (qsizetype i = 0; i < items.size(); ++i) {
            if (items[i].kind == ItemKind::Image && !items[i].path.isEmpty())
                byPath.insert(QDir::cleanPath(items[i].path), i);
            if (!items[i].hash.isEmpty())
                byHash.insert(items[i].hash, i);
        }
    }
    const Item *find(const QString &path) const
    {
        const auto it = byPath.constFind(QDir::cleanPath(QFileInfo(path).absoluteFilePath()));
        return it == byPath.cend() ? nullptr : &items[*it];
    }
    const Item *findHash(const QByteArray &hash) const
    {
        const auto it = byHash.constFind(hash);
        return it == byHash.cend() ? nullptr : &items[*it];
    }
};

} // namespace

Result<AnnotationImportPlan> planAnnotationImport(const ProjectStore &store, const Format &format,
                                                  const QString &path,
                                                  const AnnotationImportOptions &options,
                                                  const Progress &progress)
{
    if (!format.capabilities().canRead)
        return makeError(u"%1 cannot be read"_s.arg(format.displayName()));
    auto task = store.task(options.taskId);
    if (!task)
        return task.error();
    if (!format.capabilities().tasks.contains(task->type))
        return makeError(u"%1 cannot carry task '%2' (%3)"_s.arg(format.displayName(), task->name,
                                                                 taskTypeName(task->type)));
    auto read = format.read(path, progress);
    if (!read)
        return read.error();

    AnnotationImportPlan plan;
    plan.source = QFileInfo(path).absoluteFilePath();
    plan.taskId = task->id;
    plan.read = std::move(read).value();
    plan.problems = plan.read.problems;

    // Classes by name; unknown ones get stand-in ids (negative) so their labels can be checked
    // like the others when they are to be added.
    LabelTask checkTask = *task;
    QStringList named = plan.read.classes;
    for (const ImportedItem &item : std::as_const(plan.read.items)) {
        for (const ImportedAnnotation &a : item.annotations) {
            if (!named.contains(a.className))
                named.append(a.className);
        }
    }
    for (const QString &name : std::as_const(named)) {
        if (name.isEmpty() || checkTask.classByName(name))
            continue;
        plan.unknownClasses.append(name);
        if (options.addUnknownClasses) {
            if (auto valid = validateClassName(name); !valid) {
                plan.problems.append(
                    {plan.source, u"class '%1': %2"_s.arg(name, valid.errorString())});
                continue;
            }
            LabelClass standIn;
            standIn.id = -(checkTask.classes.size() + 1);
            standIn.name = name;
            checkTask.classes.append(standIn);
        }
    }

    const ItemKind kind = itemKindForTaskType(task->type);
    const ItemIndex index(store.items(kind));
    QSet<QByteArray> present;
    for (const Annotation &a : store.taskAnnotations(task->id)) {
        if (a.provenance.state != LabelState::Rejected)
            present.insert(QByteArray::number(a.itemId) + '/' + identityOf(a.classId, a.shape));
    }

    const qsizetype count = plan.read.items.size();
    // Images the project lacks are probed (hashed, header read) before matching, on every
    // core: for a new project that is every image, and one at a time it would be half the
    // import.
    QHash<QString, ImageProbe> probes;
    if (kind == ItemKind::Image) {
        QStringList unknown;
        for (const ImportedItem &imported : std::as_const(plan.read.items)) {
            if (!index.find(imported.path))
                unknown.append(imported.path);
        }
        unknown.removeDuplicates();
        const QList<ImageProbe> probed = QtConcurrent::blockingMapped(
            unknown, [](const QString &path) { return probeImageFile(path); });
        for (qsizetype k = 0; k < unknown.size(); ++k)
            probes.insert(unknown[k], probed[k]);
        if (!progress.advance(0, count))
            return formatCancelled();
    }
    plan.itemIds.resize(count);
    plan.accepted.resize(count);
    for (qsizetype i = 0; i < count; ++i) {
        if (!progress.advance(i, count))
            return formatCancelled();
        const ImportedItem &imported = plan.read.items[i];
        QList<bool> &accepted = plan.accepted[i];
        accepted.fill(false, imported.annotations.size());

        // Find the item: images by path, then by content; texts by content.
        const Item *found = nullptr;
        Item candidate;
        if (kind == ItemKind::Image) {
            found = index.find(imported.path);
            if (!found) {
                const ImageProbe probe = probes.value(imported.path);
                if (probe.ok) {
                    found = index.findHash(probe.hash);
                    candidate.kind = ItemKind::Image;
                    candidate.path = QDir::cleanPath(QFileInfo(imported.path).absoluteFilePath());
                    candidate.fileSize = probe.fileSize;
                    candidate.hash = probe.hash;
                    candidate.width = probe.width;
                    candidate.height = probe.height;
                    candidate.sourceRef = imported.sourceRef;
                    candidate.extra = imported.extra;
                } else if (!imported.annotations.isEmpty() || options.addMissingItems) {
                    plan.problems.append(
                        {whereOf(imported), u"%1: %2"_s.arg(imported.path, probe.error)});
                    plan.skippedAnnotations += imported.annotations.size();
                    continue;
                }
            }
        } else {
            candidate.kind = ItemKind::Text;
            candidate.text = imported.text;
            candidate.hash = textHash(imported.text);
            candidate.path = imported.path;
            candidate.sourceRef = imported.sourceRef;
            candidate.extra = imported.extra;
            found = index.findHash(candidate.hash);
        }

        const Item *target = found;
        if (found) {
            ++plan.matchedItems;
            plan.itemIds[i] = found->id;
        } else if (!candidate.hash.isEmpty()) {
            ++plan.missingItems;
            if (options.addMissingItems) {
                plan.itemsToAdd.insert(i, candidate);
                target = &plan.itemsToAdd[i];
            }
        }
        if (!target) {
            plan.skippedAnnotations += imported.annotations.size();
            continue;
        }

        bool hasClassTag = false;
        for (qsizetype j = 0; j < imported.annotations.size(); ++j) {
            const ImportedAnnotation &a = imported.annotations[j];
            const LabelClass *labelClass = checkTask.classByName(a.className);
            if (!labelClass) {
                ++plan.skippedAnnotations; // its class is listed in unknownClasses
                continue;
            }
            Annotation annotation;
            annotation.itemId = target->id;
            annotation.taskId = task->id;
            annotation.classId = labelClass->id;
            annotation.shape = a.shape;
            annotation.provenance.confidence = a.confidence;
            const Polygon *polygon = std::get_if<Polygon>(&a.shape);
            if (polygon && task->type == TaskType::Segmentation && polygon->points.size() >= 3 &&
                polygonSelfIntersects(polygon->points)) {
                if (std::optional<Mask> mask =
                        polygonAsMask(*polygon, target->width, target->height)) {
                    annotation.shape = *mask;
                    plan.polygonsAsMasks.insert({i, j}, *mask);
                }
            }
            if (auto valid = validateAnnotation(annotation, *target, checkTask); !valid) {
                plan.problems.append(
                    {whereOf(imported), u"annotation %1 ('%2'): %3"_s.arg(j + 1).arg(
                                            a.className, valid.errorString())});
                ++plan.skippedAnnotations;
                continue;
            }
            if (shapeKind(a.shape) == ShapeKind::ClassTag && !isMultiLabel(task->type)) {
                if (hasClassTag) {
                    plan.problems.append(
                        {whereOf(imported), u"annotation %1 ('%2'): a second class for one item "
                                            u"in single-label task '%3'"_s.arg(j + 1)
                                                .arg(a.className, task->name)});
                    ++plan.skippedAnnotations;
                    continue;
                }
                hasClassTag = true;
            }
            // Matched items may hold it already (the same file imported twice); so may an
            // earlier record of this file for the same item.
            const QByteArray key = QByteArray::number(found ? found->id : -1 - i) + '/' +
                                   identityOf(labelClass->id, annotation.shape);
            if (present.contains(key)) {
                ++plan.alreadyPresent;
                continue;
            }
            present.insert(key);
            accepted[j] = true;
            ++plan.annotations;
        }
    }
    progress.advance(count, count);
    return plan;
}

Result<AnnotationImportSummary> runAnnotationImport(ProjectStore &store,
                                                    const AnnotationImportPlan &plan,
                                                    const AnnotationImportOptions &options,
                                                    const Progress &progress)
{
    if (!plan.problems.isEmpty() && !options.importValidPart)
        return makeError(
            u"%1: %2 problem(s), the first: %3: %4; nothing was imported "
            u"(choose to import the valid part to go on)"_s.arg(plan.source)
                .arg(plan.problems.size())
                .arg(plan.problems.constFirst().where, plan.problems.constFirst().reason));
    if (plan.itemIds.size() != plan.read.items.size() ||
        plan.accepted.size() != plan.read.items.size())
        return makeError(u"the import plan for %1 is incomplete"_s.arg(plan.source));

    AnnotationImportSummary summary;
    const QString fileName = QFileInfo(plan.source).fileName();
    const qint64 total = plan.itemsToAdd.size() + plan.annotations;
    qint64 done = 0;

    auto applied = store.transact([&]() -> Result<void> {
        auto importId = store.beginImport(plan.source, options.annotator);
        if (!importId)
            return importId.error();
        summary.importId = *importId;
        if (options.addUnknownClasses) {
            for (const QString &name : plan.unknownClasses) {
                if (validateClassName(name)) {
                    if (auto added = store.addClass(plan.taskId, name); !added)
                        return added.error();
                    summary.classesAdded.append(name);
                }
            }
        }
        auto task = store.task(plan.taskId);
        if (!task)
            return task.error();

        QList<qint64> itemIds = plan.itemIds;
        QList<qsizetype> order = plan.itemsToAdd.keys();
        std::sort(order.begin(), order.end());
        for (qsizetype start = 0; start < order.size(); start += kChunk) {
            if (!progress.advance(done, total))
                return formatCancelled();
            QList<Item> batch;
            for (qsizetype k = start; k < std::min(order.size(), start + kChunk); ++k)
                batch.append(plan.itemsToAdd.value(order[k]));
            auto added = store.addItems(batch);
            if (!added)
                return added.error();
            // addItems reports duplicates (two records of the file naming the same image)
            // apart from the added ones; both give the item's id.
            QHash<qsizetype, qint64> ids;
            for (const auto &[index, existing] : added->duplicates)
                ids.insert(index, existing);
            qsizetype next = 0;
            for (qsizetype b = 0; b < batch.size(); ++b) {
                if (!ids.contains(b))
                    ids.insert(b, added->addedIds.at(next++));
            }
            for (qsizetype b = 0; b < batch.size(); ++b)
                itemIds[order[start + b]] = ids.value(b);
            summary.itemsAdded += added->addedIds.size();
            done += batch.size();
        }

        const QString humanName = options.annotator.isEmpty() ? fileName : options.annotator;
        auto human = store.annotatorId(humanName);
        if (!human)
            return human.error();
        QHash<QString, qint64> models; // machine labels are credited to their job, or the file
        QList<Annotation> chunk;
        const auto flush = [&]() -> Result<void> {
            if (chunk.isEmpty())
                return {};
            if (!progress.advance(done, total))
                return formatCancelled();
            auto ids = store.addAnnotations(chunk, plan.source);
            if (!ids)
                return ids.error();
            summary.annotationsAdded += ids->size();
            done += chunk.size();
            chunk.clear();
            return {};
        };
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (qsizetype i = 0; i < plan.read.items.size(); ++i) {
            const ImportedItem &imported = plan.read.items[i];
            for (qsizetype j = 0; j < imported.annotations.size(); ++j) {
                if (!plan.accepted[i].value(j) || itemIds[i] == 0)
                    continue;
                const ImportedAnnotation &a = imported.annotations[j];
                const LabelClass *labelClass = task->classByName(a.className);
                if (!labelClass)
                    return makeError(
                        u"class '%1' is no longer in task '%2'"_s.arg(a.className, task->name));
                Annotation annotation;
                annotation.itemId = itemIds[i];
                annotation.taskId = task->id;
                annotation.classId = labelClass->id;
                annotation.shape = plan.polygonsAsMasks.contains({i, j})
                                       ? Shape(plan.polygonsAsMasks.value({i, j}))
                                       : a.shape;
                annotation.attributes = a.attributes;
                Provenance &p = annotation.provenance;
                p.confidence = a.confidence;
                p.timeMs = a.timeMs > 0 ? a.timeMs : now;
                if (isHuman(a)) {
                    p.state = LabelState::Human;
                    p.annotatorId = *human;
                } else {
                    p.state = LabelState::Machine;
                    const QString model =
                        a.jobName.isEmpty() ? u"import: "_s + fileName : a.jobName;
                    if (!models.contains(model)) {
                        auto id = store.annotatorId(model, true);
                        if (!id)
                            return id.error();
                        models.insert(model, *id);
                    }
                    p.annotatorId = models.value(model);
                }
                chunk.append(std::move(annotation));
                if (chunk.size() >= kChunk) {
                    if (auto flushed = flush(); !flushed)
                        return flushed;
                }
            }
        }
        if (auto flushed = flush(); !flushed)
            return flushed;

        QList<ImportProblem> problems;
        for (const FormatProblem &problem : plan.problems)
            problems.append({problem.where, problem.reason});
        return store.finishImport(*importId, summary.itemsAdded, 0, problems);
    });
    if (!applied)
        return applied.error();
    summary.skippedAnnotations = plan.skippedAnnotations;
    summary.problems = plan.problems;
    progress.advance(total, total);
    return summary;
}

} // namespace fieldmark
