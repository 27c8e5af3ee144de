#include "exporter.h"

#include "core/store/projectstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace {

// A stable 64-bit mix of the seed and an item's content hash: the split must not change with
// the order items were added in, nor with the Qt version (so no qHash).
quint64 splitKey(quint64 seed, const Item &item)
{
    const QByteArray identity =
        !item.hash.isEmpty() ? item.hash : (item.path + u'\n' + item.text).toUtf8();
    quint64 h = 0xcbf29ce484222325ULL ^ seed; // FNV-1a, then splitmix64's finaliser
    for (const char c : identity) {
        h ^= quint8(c);
        h *= 0x100000001b3ULL;
    }
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h;
}

QString subsetPath(const Format &format, const QString &output, const QString &subset)
{
    if (subset.isEmpty())
        return output;
    if (format.capabilities().writesFolder)
        return QDir(output).filePath(subset);
    const QFileInfo info(output);
    const QString suffix = info.suffix();
    const QString name =
        info.completeBaseName() + u'_' + subset + (suffix.isEmpty() ? QString() : u'.' + suffix);
    return info.dir().filePath(name);
}

// The folder an export's paths are relative to: the folder a folder format writes, or the
// folder holding the file.
QString datasetRootOf(const Format &format, const QString &subsetPath)
{
    return format.capabilities().writesFolder ? subsetPath : QFileInfo(subsetPath).absolutePath();
}

// Where copied or linked images go: images/ in the dataset root (images/<subset>/ when several
// subsets share one root), under their own file names, made unique where two collide.
void planMedia(ExportSubset &subset, const QString &mediaFolder)
{
    QSet<QString> taken;
    for (ExportItem &e : subset.data.items) {
        if (e.item.kind != ItemKind::Image || e.item.path.isEmpty())
            continue;
        const QFileInfo source(e.item.path);
        QString name = source.fileName();
        if (taken.contains(name)) {
            const QString suffix = source.suffix();
            name = source.completeBaseName() + u'_' + QString::number(e.item.id) +
                   (suffix.isEmpty() ? QString() : u'.' + suffix);
        }
        for (int n = 2; taken.contains(name); ++n)
            name = source.completeBaseName() + u'_' + QString::number(n) + u'.' + source.suffix();
        taken.insert(name);
        const QString to = QDir(mediaFolder).filePath(name);
        subset.media.append(ExportMediaFile{e.item.path, to});
        e.item.path = to;
    }
}

QString mediaFolderOf(const ExportPlan &plan, const ExportSubset &subset)
{
    const QString root = datasetRootOf(*plan.format, subset.path);
    const bool sharedRoot = !plan.format->capabilities().writesFolder && !subset.name.isEmpty();
    return QDir(root).filePath(sharedRoot ? u"images/"_s + subset.name : u"images"_s);
}

// What a run made that was not there before, so a failed or cancelled run can take it away.
class CreatedPaths
{
public:
    // Notes the outermost folder of `path` that is not there yet (or the path itself).
    void noteIfNew(const QString &path)
    {
        if (QFileInfo::exists(path))
            return;
        QString outermost = QDir::cleanPath(path);
        for (QString parent = QFileInfo(outermost).absolutePath();
             parent != outermost && !QFileInfo::exists(parent);
             parent = QFileInfo(parent).absolutePath())
            outermost = parent;
        if (!m_paths.contains(outermost))
            m_paths.append(outermost);
    }
    void removeAll()
    {
        for (auto it = m_paths.crbegin(); it != m_paths.crend(); ++it) {
            const QFileInfo info(*it);
            if (info.isDir() && !info.isSymLink())
                QDir(*it).removeRecursively();
            else
                QFile::remove(*it);
        }
        m_paths.clear();
    }

private:
    QStringList m_paths;
};

Result<void> placeMedia(const ExportMediaFile &file, ExportMedia media)
{
    if (QFileInfo(file.to).isSymLink() || QFileInfo::exists(file.to)) {
        if (QFileInfo(file.to).canonicalFilePath() == QFileInfo(file.from).canonicalFilePath())
            return {}; // exported here before: already in place
        if (!QFile::remove(file.to))
            return makeError(u"cannot replace %1"_s.arg(file.to));
    }
    if (media == ExportMedia::Link) {
        if (!QFile::link(file.from, file.to))
            return makeError(u"cannot link %1 to %2"_s.arg(file.to, file.from));
        return {};
    }
    QFile source(file.from);
    if (!source.copy(file.to))
        return makeError(
            u"cannot copy %1 to %2: %3"_s.arg(file.from, file.to, source.errorString()));
    return {};
}

} // namespace

Result<ExportPlan> planExport(const ProjectStore &store, const Format &format,
                              const QString &output, const ExportOptions &options)
{
    if (!format.capabilities().canWrite)
        return makeError(u"%1 cannot be written"_s.arg(format.displayName()));
    if (output.trimmed().isEmpty())
        return makeError(u"no output %1 chosen"_s.arg(
            format.capabilities().writesFolder ? u"folder"_s : u"file"_s));
    const auto shareOk = [](double share) {
        return share >= 0 && share < 1;
    };
    if (!shareOk(options.validationShare) || !shareOk(options.testShare))
        return makeError(u"the validation and test shares must lie in [0, 1)"_s);
    if (options.validationShare + options.testShare >= 1)
        return makeError(u"the validation and test shares leave nothing for training "
                         u"(%1% + %2%)"_s.arg(options.validationShare * 100)
                             .arg(options.testShare * 100));

    const QString absoluteOutput = QFileInfo(output).absoluteFilePath();
    auto all = collectExportData(store, options.taskId, options.labels);
    if (!all)
        return all.error();
    if (!format.capabilities().tasks.contains(all->task.type))
        return makeError(u"%1 cannot carry task '%2' (%3)"_s.arg(
            format.displayName(), all->task.name, taskTypeName(all->task.type)));

    ExportPlan plan;
    plan.format = &format;
    plan.output = absoluteOutput;
    plan.options = options;
    plan.itemCount = all->items.size();
    for (const ExportItem &e : all->items)
        plan.annotationCount += e.annotations.size();

    const bool split = options.validationShare > 0 || options.testShare > 0;
    if (!split) {
        ExportSubset subset;
        subset.path = absoluteOutput;
        subset.data = std::move(all).value();
        plan.subsets.append(std::move(subset));
    } else {
        // Items in the order of their keyed hash: the first shares go to validation and test,
        // so the sizes are exact and the same seed always picks the same items.
        QList<std::pair<quint64, qsizetype>> order;
        order.reserve(all->items.size());
        for (qsizetype i = 0; i < all->items.size(); ++i)
            order.append({splitKey(options.seed, all->items[i].item), i});
        std::sort(order.begin(), order.end());
        const qsizetype n = order.size();
        const auto validationCount = qsizetype(std::llround(double(n) * options.validationShare));
        const auto testCount =
            std::min(n - validationCount, qsizetype(std::llround(double(n) * options.testShare)));
        const QString names[] = {u"train"_s, u"val"_s, u"test"_s};
        ExportSubset subsets[3];
        for (int s = 0; s < 3; ++s) {
            subsets[s].name = names[s];
            subsets[s].data.task = all->task;
        }
        for (qsizetype k = 0; k < n; ++k) {
            const int s = k < validationCount ? 1 : k < validationCount + testCount ? 2 : 0;
            subsets[s].data.items.append(std::move(all->items[order[k].second]));
        }
        for (ExportSubset &subset : subsets) {
            // Keep the project's order inside each set, so files diff well between exports.
            std::sort(
                subset.data.items.begin(), subset.data.items.end(),
                [](const ExportItem &a, const ExportItem &b) { return a.item.id < b.item.id; });
            if (!subset.data.items.isEmpty() || subset.name == u"train"_s)
                plan.subsets.append(std::move(subset));
        }
    }
    for (ExportSubset &subset : plan.subsets) {
        if (subset.path.isEmpty())
            subset.path = subsetPath(format, absoluteOutput, subset.name);
        subset.data.datasetRoot = datasetRootOf(format, subset.path);
        if (options.media != ExportMedia::Reference)
            planMedia(subset, mediaFolderOf(plan, subset));
    }
    if (options.media == ExportMedia::Reference) {
        qsizetype outside = 0;
        for (const ExportSubset &subset : std::as_const(plan.subsets)) {
            const QDir root(subset.data.datasetRoot);
            for (const ExportItem &e : subset.data.items) {
                const QString relative = root.relativeFilePath(e.item.path);
                if (e.item.kind == ItemKind::Image &&
                    (relative.startsWith(u"../"_s) || QDir::isAbsolutePath(relative)))
                    ++outside;
            }
        }
        if (outside > 0)
            plan.notes.append(
                u"%1 of %2 images lie outside the export's folder and are named by their "
                u"absolute path: training code on this machine reads them, but the export is "
                u"not self-contained, and importing it (into Fieldmark or another tool) refuses "
                u"images outside its folder. Copy or link the images to make it self-contained."_s
                    .arg(outside)
                    .arg(plan.itemCount));
    }
    // The loss report covers everything written, with the paths as written: a format's report
    // may depend on where the images lie relative to the export.
    if (plan.subsets.size() == 1) {
        plan.loss = format.lossReport(plan.subsets.constFirst().data);
    } else {
        ExportData whole; // items and annotations are shared, not copied
        whole.task = plan.subsets.constFirst().data.task;
        whole.datasetRoot = format.capabilities().writesFolder
                                ? absoluteOutput
                                : QFileInfo(absoluteOutput).absolutePath();
        for (const ExportSubset &subset : std::as_const(plan.subsets))
            whole.items += subset.data.items;
        plan.loss = format.lossReport(whole);
    }
    return plan;
}

Result<ExportSummary> runExport(const ExportPlan &plan, const Progress &progress)
{
    if (!plan.format)
        return makeError(u"no format chosen for the export"_s);
    qint64 total = 0;
    for (const ExportSubset &subset : plan.subsets)
        total += subset.media.size() + subset.data.items.size();

    ExportSummary summary;
    CreatedPaths created;
    const auto fail = [&](Error error) -> Result<ExportSummary> {
        created.removeAll();
        return error;
    };
    qint64 done = 0;
    for (const ExportSubset &subset : plan.subsets) {
        const QString root = subset.data.datasetRoot;
        created.noteIfNew(root);
        created.noteIfNew(subset.path);
        if (!QDir().mkpath(root))
            return fail(makeError(u"%1: cannot create the folder"_s.arg(root)));
        if (!subset.media.isEmpty()) {
            const QString mediaFolder = QFileInfo(subset.media.constFirst().to).absolutePath();
            created.noteIfNew(mediaFolder);
            if (!QDir().mkpath(mediaFolder))
                return fail(makeError(u"%1: cannot create the folder"_s.arg(mediaFolder)));
        }
        for (const ExportMediaFile &file : subset.media) {
            if (!progress.advance(done, total))
                return fail(formatCancelled());
            if (auto placed = placeMedia(file, plan.options.media); !placed)
                return fail(placed.error());
            ++done;
            ++summary.mediaFiles;
        }
        const qint64 offset = done;
        const Progress inner([&](qint64 itemDone, qint64) {
            return progress.advance(offset + std::max<qint64>(itemDone, 0), total);
        });
        if (auto written = plan.format->write(subset.data, subset.path, inner); !written)
            return fail(written.error());
        done = offset + subset.data.items.size();
        summary.written.append(subset.path);
        summary.items += subset.data.items.size();
        for (const ExportItem &e : subset.data.items)
            summary.annotations += e.annotations.size();
    }
    progress.advance(total, total);
    return summary;
}

} // namespace fieldmark
