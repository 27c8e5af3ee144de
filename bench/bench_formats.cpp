// bench_formats: how fast a project's boxes leave for COCO and YOLO and come back, as
// BENCHMARKS.md ("export of 1,000,000 boxes to COCO and YOLO") asks: 1,000,000 boxes over
// 100,000 images by default. It prints a table and writes a JSON report; see bench/README.md
// for the options and how to read the figures.

#include "benchdata.h"

#include "core/formats/annotationimport.h"
#include "core/formats/exportdata.h"
#include "core/formats/exporter.h"
#include "core/formats/format.h"
#include "core/formats/formatregistry.h"
#include "core/import/imageprobe.h"
#include "core/model/annotation.h"
#include "core/model/item.h"
#include "core/model/labeltask.h"
#include "core/store/projectstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QThread>
#include <QtConcurrent/QtConcurrentMap>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <numeric>
#include <optional>
#include <type_traits>
#include <vector>

namespace {

using namespace fieldmark;
using namespace fieldmark::bench;

// Bump when the generated boxes change, so a reused --dir is repopulated.
constexpr int kProjectVersion = 1;
constexpr double kTargetSeconds = 10; // export, and import, of each format, on 2 cores
constexpr int kItemBatch = 1000;
constexpr int kAnnotationBatch = 10000;
const char *const kTaskName = "objects";
// Ten classes, as a small detection data set has; the names carry a blank, which the YAML
// writer must quote.
const char *const kClassNames[] = {"person", "car",   "bicycle", "dog",           "cat",
                                   "bird",   "truck", "bus",     "traffic light", "stop sign"};

struct Options
{
    qint64 images = 100'000;
    qint64 boxes = 1'000'000;
    int runs = 3;
    quint64 seed = 1;
    QString dataDir; // empty: a temporary folder
    QStringList formats{QStringLiteral("coco"), QStringLiteral("yolo")};
    QString jsonPath = QStringLiteral("bench-formats.json");
};

// ---- Memory of one phase ---------------------------------------------------------------------
//
// Each phase runs in this process, one after the other. Before a phase, freed heap goes back
// to the system (malloc_trim) and the kernel's high-water mark (VmHWM) is reset to the current
// RSS by writing 5 to /proc/self/clear_refs (Linux 4.0 and later); after it, VmHWM is the
// phase's peak. The peak includes what the process held when the phase began (the RSS before
// is reported beside it), e.g. the ExportData a write is handed.

qint64 statusKb(const char *field)
{
    QFile file(QStringLiteral("/proc/self/status"));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray key = QByteArray(field) + ':';
    for (const QByteArray &line : file.readAll().split('\n'))
        if (line.startsWith(key))
            return line.mid(key.size()).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// Resetting VmHWM also lowers getrusage's ru_maxrss (Linux takes the larger of the two
// marks, and the other only moves when a thread exits), so the whole process's peak is kept
// here, folded in before every reset.
qint64 s_processPeakKb = 0;

qint64 processPeakKb()
{
    return std::max(s_processPeakKb, statusKb("VmHWM"));
}

bool resetPeakRss()
{
    s_processPeakKb = processPeakKb();
#ifdef __GLIBC__
    malloc_trim(0);
#endif
    QFile file(QStringLiteral("/proc/self/clear_refs"));
    if (!file.open(QIODevice::WriteOnly) || file.write("5") != 1)
        return false;
    file.close();
    // A kernel that ignores the request leaves the old, higher mark.
    return statusKb("VmHWM") <= statusKb("VmRSS") + 1024;
}

struct Sample
{
    double seconds = 0;
    qint64 rssBeforeKb = 0;
    qint64 peakKb = 0;
};

// Runs `work` as one measured phase; the work's own errors come back unchanged.
template<typename F>
Result<Sample> measure(bool &peakWasReset, F work)
{
    Sample sample;
    peakWasReset = resetPeakRss() && peakWasReset;
    sample.rssBeforeKb = statusKb("VmRSS");
    QElapsedTimer timer;
    timer.start();
    Result<void> done = work();
    sample.seconds = seconds(timer);
    sample.peakKb = statusKb("VmHWM");
    if (!done)
        return done.error();
    return sample;
}

struct Phase
{
    QString name;
    std::vector<Sample> samples = {};

    double medianSeconds() const
    {
        std::vector<double> s;
        for (const Sample &sample : samples)
            s.push_back(sample.seconds);
        return median(s);
    }
    qint64 peakKb() const
    {
        qint64 peak = 0;
        for (const Sample &sample : samples)
            peak = std::max(peak, sample.peakKb);
        return peak;
    }
    qint64 rssBeforeKb() const { return samples.empty() ? 0 : samples.front().rssBeforeKb; }
};

// ---- What was written and what came back, to compare -----------------------------------------

struct Counts
{
    qint64 items = 0;
    qint64 boxes = 0;
    double area = 0; // sum of box areas in pixels: catches coordinates that drift
    QHash<QString, qint64> perClass;

    bool operator==(const Counts &other) const
    {
        return items == other.items && boxes == other.boxes && perClass == other.perClass &&
               std::abs(area - other.area) <= 1e-5 * std::max(1.0, std::abs(area));
    }
    QString describe() const
    {
        return QStringLiteral("%1 items, %2 boxes, %3 classes, area %4")
            .arg(items)
            .arg(boxes)
            .arg(perClass.size())
            .arg(area, 0, 'f', 1);
    }
};

Counts countExport(const ExportData &data)
{
    Counts counts;
    counts.items = data.items.size();
    for (const ExportItem &item : data.items)
        for (const Annotation &annotation : item.annotations)
            if (const Box *box = std::get_if<Box>(&annotation.shape)) {
                ++counts.boxes;
                counts.area += box->width * box->height;
                const LabelClass *labelClass = data.task.classById(annotation.classId);
                ++counts.perClass[labelClass ? labelClass->name : QString()];
            }
    return counts;
}

Counts countRead(const FormatReadResult &read)
{
    Counts counts;
    counts.items = read.items.size();
    for (const ImportedItem &item : read.items)
        for (const ImportedAnnotation &annotation : item.annotations)
            if (const Box *box = std::get_if<Box>(&annotation.shape)) {
                ++counts.boxes;
                counts.area += box->width * box->height;
                ++counts.perClass[annotation.className];
            }
    return counts;
}

// ---- The project: N items over the generated images, B boxes among them -----------------------

struct Population
{
    QString projectDir;
    qint64 taskId = 0;
    QStringList classNames;
    bool reused = false;
    double probeSeconds = 0;
    double addItemsSeconds = 0;
    double addBoxesSeconds = 0;
    qint64 databaseBytes = 0;
};

QString projectMarkerPath(const QString &root)
{
    return root + QStringLiteral("/bench-formats.json");
}

QJsonObject projectMarker(const Options &options, const ImageSet &images)
{
    return QJsonObject{{QStringLiteral("version"), kProjectVersion},
                       {QStringLiteral("images"), options.images},
                       {QStringLiteral("boxes"), options.boxes},
                       {QStringLiteral("seed"), QString::number(options.seed)},
                       {QStringLiteral("images_dir"), images.imagesDir}};
}

Result<void> writeJsonFile(const QString &path, const QJsonObject &object)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(object).toJson()) < 0 ||
        !file.commit())
        return makeError(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

qint64 databaseBytes(const QString &projectDir)
{
    const QString db =
        projectDir + QLatin1Char('/') + QString::fromLatin1(ProjectStore::kDatabaseFileName);
    return QFileInfo(db).size() + QFileInfo(db + QStringLiteral("-wal")).size();
}

// The boxes of one image: whole hundredths of a pixel, as an annotation tool stores them,
// between 2 pixels and half the image on a side, always inside the image.
Box randomBox(quint64 &state, int width, int height)
{
    const quint64 r = splitMix(state);
    const qint64 w = 200 + qint64(r % quint64(std::max(1, width * 50 - 200 + 1)));
    const qint64 h = 200 + qint64((r >> 20) % quint64(std::max(1, height * 50 - 200 + 1)));
    const quint64 s = splitMix(state);
    const qint64 x = qint64(s % quint64(width * 100 - w + 1));
    const qint64 y = qint64((s >> 32) % quint64(height * 100 - h + 1));
    return Box{double(x) / 100, double(y) / 100, double(w) / 100, double(h) / 100};
}

Result<void> addBoxes(ProjectStore &store, const QList<Annotation> &batch)
{
    auto added = store.addAnnotations(batch, QStringLiteral("bench_formats"));
    if (!added)
        return makeError(
            QStringLiteral("cannot add %1 boxes: %2").arg(batch.size()).arg(added.errorString()));
    return {};
}

// Adds the items (probed in parallel, as the importer does) and the boxes, seeded: the same
// options always give the same project. Not timed as part of any figure.
Result<void> populate(const Options &options, const ImageSet &images, ProjectStore &store,
                      Population &population)
{
    auto task =
        store.addTask(QString::fromLatin1(kTaskName), TaskType::Boxes, population.classNames);
    if (!task)
        return makeError(QStringLiteral("cannot add a task: %1").arg(task.errorString()));
    population.taskId = task->id;
    auto annotator = store.annotatorId(QStringLiteral("bench_formats"));
    if (!annotator)
        return annotator.error();

    std::vector<qint64> indices(size_t(options.images));
    std::iota(indices.begin(), indices.end(), qint64(0));
    QElapsedTimer timer;
    timer.start();
    const std::vector<ImageProbe> probes =
        QtConcurrent::blockingMapped<std::vector<ImageProbe>>(indices, [&](qint64 index) {
            return probeImageFile(generatedImagePath(images.imagesDir, index, images.suffix));
        });
    population.probeSeconds = seconds(timer);

    timer.restart();
    QList<qint64> itemIds;
    QList<QSize> sizes;
    QList<Item> batch;
    for (qint64 i = 0; i < options.images; ++i) {
        const ImageProbe &probe = probes[size_t(i)];
        const QString path = generatedImagePath(images.imagesDir, i, images.suffix);
        if (!probe.ok)
            return makeError(QStringLiteral("%1: %2").arg(path, probe.error));
        Item item;
        item.kind = ItemKind::Image;
        item.path = path;
        item.fileSize = probe.fileSize;
        item.hash = probe.hash;
        item.width = probe.width;
        item.height = probe.height;
        sizes.append(QSize(probe.width, probe.height));
        batch.append(std::move(item));
        if (batch.size() == kItemBatch || i + 1 == options.images) {
            auto added = store.addItems(batch);
            if (!added)
                return makeError(QStringLiteral("addItems failed: %1").arg(added.errorString()));
            if (added->addedIds.size() != batch.size())
                return makeError(QStringLiteral("addItems added %1 of %2 items (duplicates?)")
                                     .arg(added->addedIds.size())
                                     .arg(batch.size()));
            itemIds.append(added->addedIds);
            batch.clear();
        }
    }
    population.addItemsSeconds = seconds(timer);

    // Each box lands on a random image, so some images hold none (negative examples) and a
    // few hold many; then each image's boxes are made in turn, as an annotator works.
    quint64 state = options.seed;
    std::vector<int> perImage(size_t(options.images), 0);
    for (qint64 b = 0; b < options.boxes; ++b)
        ++perImage[size_t(splitMix(state) % quint64(options.images))];
    const qint64 startMs = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    QList<Annotation> annotations;
    annotations.reserve(kAnnotationBatch);
    qint64 made = 0;
    timer.restart();
    for (qint64 i = 0; i < options.images; ++i) {
        for (int k = 0; k < perImage[size_t(i)]; ++k) {
            Annotation a;
            a.itemId = itemIds[i];
            a.taskId = task->id;
            const quint64 r = splitMix(state);
            a.classId = task->classes[qsizetype(r % quint64(task->classes.size()))].id;
            a.shape = randomBox(state, sizes[i].width(), sizes[i].height());
            // One box in five is a model's, accepted by a reviewer: it has a confidence, which
            // COCO keeps as "score" and YOLO drops.
            a.provenance.annotatorId = *annotator;
            a.provenance.timeMs = startMs + made * 1000;
            if ((r >> 32) % 5 == 0) {
                a.provenance.state = LabelState::MachineAccepted;
                a.provenance.confidence = 0.5 + double((r >> 40) % 5000) / 10000;
            }
            annotations.append(std::move(a));
            ++made;
            if (annotations.size() == kAnnotationBatch) {
                if (auto added = addBoxes(store, annotations); !added)
                    return added;
                annotations.clear();
            }
        }
    }
    if (!annotations.isEmpty())
        if (auto added = addBoxes(store, annotations); !added)
            return added;
    population.addBoxesSeconds = seconds(timer);
    return {};
}

// Builds the project under root/project, or reuses the one an earlier run with the same
// options left there (root/bench-formats.json says what is there).
Result<Population> preparePopulation(const Options &options, const ImageSet &images,
                                     const QString &root)
{
    Population population;
    population.projectDir = root + QStringLiteral("/project");
    for (const char *name : kClassNames)
        population.classNames.append(QString::fromLatin1(name));

    const QJsonObject wanted = projectMarker(options, images);
    QJsonObject previous;
    if (QFile file(projectMarkerPath(root)); file.open(QIODevice::ReadOnly))
        previous = QJsonDocument::fromJson(file.readAll()).object();
    QJsonObject complete = wanted;
    complete.insert(QStringLiteral("complete"), true);
    if (!previous.isEmpty() && previous == complete && QFileInfo::exists(population.projectDir)) {
        ProjectStore::OpenOptions open;
        open.checkIntegrity = false;
        auto store = ProjectStore::open(population.projectDir, open);
        if (!store)
            return store.error();
        auto task = (*store)->taskByName(QString::fromLatin1(kTaskName));
        if (!task)
            return task.error();
        population.taskId = task->id;
        population.reused = true;
        population.databaseBytes = databaseBytes(population.projectDir);
        return population;
    }
    if (previous.isEmpty() && QFileInfo::exists(population.projectDir))
        return makeError(QStringLiteral("%1 exists but bench_formats did not make it (no %2); "
                                        "choose another --dir")
                             .arg(population.projectDir, projectMarkerPath(root)));
    if (!QDir(population.projectDir).removeRecursively())
        return makeError(QStringLiteral("cannot remove the old %1").arg(population.projectDir));

    QJsonObject started = wanted;
    started.insert(QStringLiteral("complete"), false);
    if (auto written = writeJsonFile(projectMarkerPath(root), started); !written)
        return written.error();
    {
        auto created = ProjectStore::create(population.projectDir);
        if (!created)
            return makeError(QStringLiteral("cannot create a project in %1: %2")
                                 .arg(population.projectDir, created.errorString()));
        if (auto filled = populate(options, images, **created, population); !filled)
            return filled.error();
    }
    if (auto written = writeJsonFile(projectMarkerPath(root), complete); !written)
        return written.error();
    population.databaseBytes = databaseBytes(population.projectDir);
    return population;
}

// ---- The measurements of one format -----------------------------------------------------------

struct FormatRun
{
    const Format *format = nullptr;
    QString output; // the file or folder the write phase writes
    Phase collect{QStringLiteral("collect")};
    Phase write{QStringLiteral("write")};
    Phase read{QStringLiteral("read")};
    QString exportOutput; // what the end-to-end export writes and the import reads
    Phase exportPipeline{QStringLiteral("export")};
    Phase importPipeline{QStringLiteral("import")};
    std::vector<double> planExportSeconds;
    std::vector<double> planImportSeconds;
    qint64 exportedItems = 0;
    qint64 exportedBoxes = 0;
    qint64 importedItems = 0;
    qint64 importedBoxes = 0;
    qint64 importProblems = 0;
    qint64 importSkipped = 0;
    QString firstImportProblem;
    bool pipelineMatch = true;
    qint64 outputBytes = 0;
    qint64 outputFiles = 0;
    Counts written;
    Counts readBack;
    qint64 readProblems = 0;
    QString firstProblem;
    QStringList losses;
    bool countsMatch = true;
};

// Everything under a file or folder: bytes and files.
std::pair<qint64, qint64> diskUsage(const QString &path)
{
    const QFileInfo info(path);
    if (info.isFile())
        return {info.size(), 1};
    qint64 bytes = 0, files = 0;
    QDirIterator it(path, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        bytes += it.fileInfo().size();
        ++files;
    }
    return {bytes, files};
}

void removeOutput(const QString &path)
{
    if (QFileInfo(path).isDir())
        QDir(path).removeRecursively();
    else
        QFile::remove(path);
}

// One run: (a) store -> ExportData, (b) write it, (c) read the output back.
Result<void> runOnce(const ProjectStore &store, const Population &population, const QString &root,
                     FormatRun &run, bool &peakWasReset, bool first)
{
    std::optional<ExportData> data;
    auto collected = measure(peakWasReset, [&]() -> Result<void> {
        auto c = collectExportData(store, population.taskId, ExportLabels::Reviewed, root);
        if (!c)
            return makeError(QStringLiteral("collectExportData: %1").arg(c.errorString()));
        data = std::move(c).value();
        return {};
    });
    if (!collected)
        return collected.error();
    run.collect.samples.push_back(*collected);
    if (first) {
        run.written = countExport(*data);
        run.losses = run.format->lossReport(*data).losses;
    }

    removeOutput(run.output); // every run writes afresh
    auto written = measure(peakWasReset,
                           [&]() -> Result<void> { return run.format->write(*data, run.output); });
    if (!written)
        return makeError(
            QStringLiteral("%1 write: %2").arg(run.format->name(), written.errorString()));
    run.write.samples.push_back(*written);
    data.reset();
    std::tie(run.outputBytes, run.outputFiles) = diskUsage(run.output);

    auto read = measure(peakWasReset, [&]() -> Result<void> {
        auto r = run.format->read(run.output);
        if (!r)
            return r.error();
        // Counted inside the phase, while the result is still held: the count is cheap.
        const Counts counts = countRead(*r);
        if (first) {
            run.readBack = counts;
            run.readProblems = r->problems.size();
            if (!r->problems.isEmpty())
                run.firstProblem =
                    r->problems.first().where + QStringLiteral(": ") + r->problems.first().reason;
        }
        run.countsMatch = run.countsMatch && counts == run.written && r->problems.isEmpty();
        return {};
    });
    if (!read)
        return makeError(QStringLiteral("%1 read: %2").arg(run.format->name(), read.errorString()));
    run.read.samples.push_back(*read);
    return {};
}

// One run of the pipelines the app and the CLI use: planExport + runExport from the store, then
// planAnnotationImport + runAnnotationImport of that output into a fresh project (made
// before the clock starts) whose task has the same classes, so every image is a missing
// item the import adds.
Result<void> runPipelines(const ProjectStore &store, const Population &population,
                          const Options &options, const QString &root, FormatRun &run,
                          bool &peakWasReset)
{
    const QString name = run.format->name();
    removeOutput(run.exportOutput);
    ExportOptions exportOptions;
    exportOptions.taskId = population.taskId;
    auto exported = measure(peakWasReset, [&]() -> Result<void> {
        QElapsedTimer timer;
        timer.start();
        auto plan = planExport(store, *run.format, run.exportOutput, exportOptions);
        if (!plan)
            return makeError(QStringLiteral("planExport: %1").arg(plan.errorString()));
        run.planExportSeconds.push_back(seconds(timer));
        auto summary = runExport(*plan);
        if (!summary)
            return makeError(QStringLiteral("runExport: %1").arg(summary.errorString()));
        run.exportedItems = summary->items;
        run.exportedBoxes = summary->annotations;
        return {};
    });
    if (!exported)
        return makeError(QStringLiteral("%1 export: %2").arg(name, exported.errorString()));
    run.exportPipeline.samples.push_back(*exported);

    const QString projectDir = root + QStringLiteral("/bench-import-") + name;
    QDir(projectDir).removeRecursively();
    {
        auto created = ProjectStore::create(projectDir);
        if (!created)
            return makeError(QStringLiteral("cannot create a project in %1: %2")
                                 .arg(projectDir, created.errorString()));
        ProjectStore &fresh = **created;
        auto task =
            fresh.addTask(QString::fromLatin1(kTaskName), TaskType::Boxes, population.classNames);
        if (!task)
            return makeError(QStringLiteral("cannot add a task: %1").arg(task.errorString()));
        AnnotationImportOptions importOptions;
        importOptions.taskId = task->id;
        importOptions.annotator = QStringLiteral("bench_formats");
        // The valid part goes in, so a few refused records still give a timing; they are
        // counted, and any makes the run fail its check.
        importOptions.importValidPart = true;
        auto imported = measure(peakWasReset, [&]() -> Result<void> {
            QElapsedTimer timer;
            timer.start();
            auto plan = planAnnotationImport(fresh, *run.format, run.exportOutput, importOptions);
            if (!plan)
                return makeError(
                    QStringLiteral("planAnnotationImport: %1").arg(plan.errorString()));
            run.planImportSeconds.push_back(seconds(timer));
            auto summary = runAnnotationImport(fresh, *plan, importOptions);
            if (!summary)
                return makeError(
                    QStringLiteral("runAnnotationImport: %1").arg(summary.errorString()));
            run.importedItems = summary->itemsAdded;
            run.importedBoxes = summary->annotationsAdded;
            run.importProblems = summary->problems.size();
            run.importSkipped = summary->skippedAnnotations;
            if (!summary->problems.isEmpty() && run.firstImportProblem.isEmpty())
                run.firstImportProblem = summary->problems.constFirst().where +
                                         QStringLiteral(": ") +
                                         summary->problems.constFirst().reason;
            return {};
        });
        if (!imported)
            return makeError(QStringLiteral("%1 import: %2").arg(name, imported.errorString()));
        run.importPipeline.samples.push_back(*imported);
    }
    QDir(projectDir).removeRecursively();
    run.pipelineMatch = run.pipelineMatch && run.exportedItems == options.images &&
                        run.exportedBoxes == options.boxes && run.importedItems == options.images &&
                        run.importedBoxes == options.boxes && run.importProblems == 0 &&
                        run.importSkipped == 0;
    return {};
}

// What the file system alone costs a folder format: `count` files of `bytes` each, written
// through QSaveFile (temporary file, fdatasync, rename), as the formats write, and through
// QFile to a temporary name and a rename, without the sync. Measured in the same run, on the
// same disk, so the per-file price of the sync can be read beside the YOLO write.
struct FileBaseline
{
    int count = 0;
    qint64 bytes = 0;
    double saveFileSeconds = 0;
    double plainSeconds = 0;
};

Result<FileBaseline> measureFileBaseline(const QString &root, int count, qint64 bytes)
{
    FileBaseline baseline{count, bytes};
    const QString dir = root + QStringLiteral("/bench-file-baseline");
    QDir(dir).removeRecursively();
    if (!QDir().mkpath(dir + QStringLiteral("/saved")) ||
        !QDir().mkpath(dir + QStringLiteral("/plain")))
        return makeError(QStringLiteral("cannot create %1").arg(dir));
    const QByteArray content(bytes, 'x');
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < count; ++i) {
        QSaveFile file(QStringLiteral("%1/saved/%2.txt").arg(dir).arg(i));
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != bytes || !file.commit())
            return makeError(QStringLiteral("cannot write %1").arg(file.fileName()));
    }
    baseline.saveFileSeconds = seconds(timer);
    timer.restart();
    for (int i = 0; i < count; ++i) {
        const QString path = QStringLiteral("%1/plain/%2.txt").arg(dir).arg(i);
        QFile file(path + QStringLiteral(".part"));
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != bytes)
            return makeError(QStringLiteral("cannot write %1").arg(file.fileName()));
        file.close();
        if (!QFile::rename(file.fileName(), path))
            return makeError(QStringLiteral("cannot rename %1").arg(file.fileName()));
    }
    baseline.plainSeconds = seconds(timer);
    QDir(dir).removeRecursively();
    return baseline;
}

// ---- Report ----------------------------------------------------------------------------------

QJsonObject phaseJson(const Phase &phase, qint64 items, qint64 boxes)
{
    QJsonArray runs;
    for (const Sample &s : phase.samples)
        runs.append(QJsonObject{{QStringLiteral("seconds"), s.seconds},
                                {QStringLiteral("rss_before_kb"), s.rssBeforeKb},
                                {QStringLiteral("peak_rss_kb"), s.peakKb}});
    const double m = phase.medianSeconds();
    return QJsonObject{{QStringLiteral("median_s"), m},
                       {QStringLiteral("items_per_s"), m > 0 ? double(items) / m : 0},
                       {QStringLiteral("boxes_per_s"), m > 0 ? double(boxes) / m : 0},
                       {QStringLiteral("peak_rss_kb"), phase.peakKb()},
                       {QStringLiteral("rss_before_kb"), phase.rssBeforeKb()},
                       {QStringLiteral("runs"), runs}};
}

void printPhase(const Phase &phase, qint64 items, qint64 boxes, const char *note = "")
{
    const double m = phase.medianSeconds();
    std::vector<double> s;
    for (const Sample &sample : phase.samples)
        s.push_back(sample.seconds);
    std::printf("  %-9s %9.2f %9.2f %9.2f %11.0f %11.0f %9.1f %9.1f  %s\n", qPrintable(phase.name),
                m, *std::min_element(s.begin(), s.end()), *std::max_element(s.begin(), s.end()),
                m > 0 ? double(items) / m : 0, m > 0 ? double(boxes) / m : 0,
                double(phase.peakKb()) / 1024, double(phase.rssBeforeKb()) / 1024, note);
}

QJsonObject countsJson(const Counts &counts)
{
    return QJsonObject{{QStringLiteral("items"), counts.items},
                       {QStringLiteral("boxes"), counts.boxes},
                       {QStringLiteral("classes"), counts.perClass.size()},
                       {QStringLiteral("box_area_px"), counts.area}};
}

Result<Options> parseOptions(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Times export and import of many boxes in COCO and YOLO."));
    parser.addHelpOption();
    const QCommandLineOption images(QStringLiteral("images"),
                                    QStringLiteral("Images to generate (100000)."),
                                    QStringLiteral("N"));
    const QCommandLineOption boxes(QStringLiteral("boxes"),
                                   QStringLiteral("Boxes over those images (1000000)."),
                                   QStringLiteral("B"));
    const QCommandLineOption runs(QStringLiteral("runs"),
                                  QStringLiteral("Runs of each phase; medians are reported (3)."),
                                  QStringLiteral("R"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Seed of the generated boxes (1)."),
                                  QStringLiteral("S"));
    const QCommandLineOption dir(
        QStringLiteral("dir"),
        QStringLiteral("Folder for the images and the project, kept and reused on the next run "
                       "with the same --images, --boxes and --seed (default: a temporary "
                       "folder)."),
        QStringLiteral("D"));
    const QCommandLineOption formats(QStringLiteral("formats"),
                                     QStringLiteral("Formats to measure (coco,yolo)."),
                                     QStringLiteral("LIST"));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("JSON report (bench-formats.json)."),
                                  QStringLiteral("FILE"));
    parser.addOptions({images, boxes, runs, seed, dir, formats, json});
    parser.process(app);

    Options options;
    bool ok = true;
    auto number = [&](const QCommandLineOption &option, auto &target, qint64 min) {
        ok = readNumberOption(parser, option, min, target) && ok;
    };
    number(images, options.images, 1);
    number(boxes, options.boxes, 0);
    number(runs, options.runs, 1);
    number(seed, options.seed, 0);
    if (!ok)
        return makeError(QStringLiteral("--images and --runs take a positive number, --boxes and "
                                        "--seed zero or more"));
    if (options.images > 9'999'999)
        return makeError(QStringLiteral("--images is at most 9999999"));
    if (parser.isSet(dir))
        options.dataDir = QDir(parser.value(dir)).absolutePath();
    if (parser.isSet(json))
        options.jsonPath = parser.value(json);
    if (parser.isSet(formats))
        options.formats =
            parser.value(formats).toLower().split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (options.formats.isEmpty())
        return makeError(QStringLiteral("--formats names no format"));
    return options;
}

int fail(const QString &message)
{
    std::fprintf(stderr, "bench_formats: %s\n", qPrintable(message));
    return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    auto parsed = parseOptions(app);
    if (!parsed)
        return fail(parsed.errorString());
    const Options options = *parsed;
    const int cores = QThread::idealThreadCount();

    const FormatRegistry registry = FormatRegistry::builtIn();
    std::vector<FormatRun> runs;
    for (const QString &name : options.formats) {
        const Format *format = registry.find(name);
        if (!format)
            return fail(QStringLiteral("no format named %1").arg(name));
        if (!format->capabilities().canRead || !format->capabilities().canWrite ||
            !format->capabilities().tasks.contains(TaskType::Boxes))
            return fail(QStringLiteral("%1 cannot write and read boxes").arg(name));
        FormatRun run;
        run.format = format;
        runs.push_back(run);
    }

    // The data: not timed as part of any figure.
    QTemporaryDir tempData;
    if (options.dataDir.isEmpty() && !tempData.isValid())
        return fail(QStringLiteral("cannot create a temporary folder"));
    const QString root = options.dataDir.isEmpty() ? tempData.path() : options.dataDir;
    std::printf("Preparing %lld images and %lld boxes in %s ...\n",
                static_cast<long long>(options.images), static_cast<long long>(options.boxes),
                qPrintable(root));
    std::fflush(stdout);
    auto preparedImages = prepareImages(ImageSetSpec{options.images}, root);
    if (!preparedImages)
        return fail(preparedImages.errorString());
    const ImageSet images = *preparedImages;
    auto preparedPopulation = preparePopulation(options, images, root);
    if (!preparedPopulation)
        return fail(preparedPopulation.errorString());
    const Population population = *preparedPopulation;
    const qint64 rssAfterData = processPeakKb();

    ProjectStore::OpenOptions openOptions;
    openOptions.checkIntegrity = false;
    auto opened = ProjectStore::open(population.projectDir, openOptions);
    if (!opened)
        return fail(opened.errorString());
    const std::unique_ptr<ProjectStore> store = std::move(opened).value();

    // The runs: every format's phases in turn, then the next run, so a format never runs
    // on a cache warmed only for it.
    bool peakWasReset = true;
    for (FormatRun &run : runs) {
        const bool folder = run.format->capabilities().writesFolder;
        // COCO names images relative to its file's folder and its reader refuses images
        // outside it, so the file lies in the root, above images/.
        const QString suffix = folder ? QString() : QStringLiteral(".json");
        run.output = root + QStringLiteral("/bench-%1%2").arg(run.format->name(), suffix);
        run.exportOutput =
            root + QStringLiteral("/bench-%1-export%2").arg(run.format->name(), suffix);
    }
    for (int r = 0; r < options.runs; ++r) {
        for (FormatRun &run : runs) {
            if (auto done = runOnce(*store, population, root, run, peakWasReset, r == 0); !done)
                return fail(done.errorString());
            if (auto done = runPipelines(*store, population, options, root, run, peakWasReset);
                !done)
                return fail(done.errorString());
            std::printf("  run %d %-5s collect %.2f s, write %.2f s, read %.2f s, export %.2f s, "
                        "import %.2f s\n",
                        r + 1, qPrintable(run.format->name()), run.collect.samples.back().seconds,
                        run.write.samples.back().seconds, run.read.samples.back().seconds,
                        run.exportPipeline.samples.back().seconds,
                        run.importPipeline.samples.back().seconds);
            std::fflush(stdout);
        }
    }
    qint64 labelFileBytes = 0; // YOLO's mean label file, for the file-system baseline
    for (FormatRun &run : runs) {
        if (run.format->capabilities().writesFolder && run.outputFiles > 0)
            labelFileBytes = std::max(labelFileBytes, run.outputBytes / run.outputFiles);
        removeOutput(run.output);
        removeOutput(run.exportOutput);
    }
    const qint64 rssPeak = processPeakKb();
    auto fileBaseline = measureFileBaseline(root, int(std::min<qint64>(options.images, 2000)),
                                            labelFileBytes > 0 ? labelFileBytes : 400);
    if (!fileBaseline)
        return fail(fileBaseline.errorString());

    // ---- Table
    std::printf("\nFieldmark format benchmark\n");
    std::printf("machine   %d cores (QThread::idealThreadCount), %s, %s, Qt %s\n", cores,
                qPrintable(cpuModel()), qPrintable(QSysInfo::prettyProductName()), qVersion());
    std::printf("data      %lld png 64x48 images, %lld boxes in %d classes, seed %llu, in %s\n",
                static_cast<long long>(options.images), static_cast<long long>(options.boxes),
                int(population.classNames.size()), static_cast<unsigned long long>(options.seed),
                qPrintable(root));
    if (population.reused)
        std::printf("          project reused from an earlier run (not timed)\n");
    else
        std::printf("          population (not timed): probe %.1f s, addItems %.1f s, "
                    "addAnnotations %.1f s; database %.1f MB\n",
                    population.probeSeconds, population.addItemsSeconds, population.addBoxesSeconds,
                    double(population.databaseBytes) / 1e6);
    bool allMatch = true;
    for (const FormatRun &run : runs) {
        const qint64 items = run.written.items, boxes = run.written.boxes;
        std::printf("\n%s, %d runs: median, min, max seconds; rates of the median; peak RSS of "
                    "the phase and RSS when it began\n",
                    qPrintable(run.format->displayName()), options.runs);
        std::printf("  %-9s %9s %9s %9s %11s %11s %9s %9s\n", "phase", "median s", "min", "max",
                    "items/s", "boxes/s", "peak MB", "start MB");
        printPhase(run.collect, items, boxes, "store -> ExportData");
        printPhase(run.write, items, boxes, "ExportData -> disk");
        printPhase(run.read, items, boxes, "disk -> FormatReadResult (page cache warm)");
        const QByteArray planExportNote = QStringLiteral("planExport + runExport (plan %1 s)")
                                              .arg(median(run.planExportSeconds), 0, 'f', 2)
                                              .toUtf8();
        const QByteArray planImportNote =
            QStringLiteral("planAnnotationImport + run, new project (plan %1 s)")
                .arg(median(run.planImportSeconds), 0, 'f', 2)
                .toUtf8();
        printPhase(run.exportPipeline, items, boxes, planExportNote.constData());
        printPhase(run.importPipeline, items, boxes, planImportNote.constData());
        const double exportSeconds = run.exportPipeline.medianSeconds();
        const double importSeconds = run.importPipeline.medianSeconds();
        std::printf("  export %.2f s (target < %.0f s: %s); import %.2f s (target < %.0f s: %s)\n",
                    exportSeconds, kTargetSeconds,
                    exportSeconds < kTargetSeconds ? "met" : "NOT met", importSeconds,
                    kTargetSeconds, importSeconds < kTargetSeconds ? "met" : "NOT met");
        std::printf("  output %.1f MB in %lld files\n", double(run.outputBytes) / 1e6,
                    static_cast<long long>(run.outputFiles));
        std::printf("  written  %s\n  read     %s, %lld problems%s%s\n",
                    qPrintable(run.written.describe()), qPrintable(run.readBack.describe()),
                    static_cast<long long>(run.readProblems),
                    run.firstProblem.isEmpty() ? "" : ", first: ", qPrintable(run.firstProblem));
        std::printf("  read back equals written: %s\n", run.countsMatch ? "yes" : "NO");
        std::printf(
            "  pipelines: exported %lld items, %lld boxes; imported %lld items, %lld "
            "boxes, %lld problems, %lld boxes skipped: %s\n",
            static_cast<long long>(run.exportedItems), static_cast<long long>(run.exportedBoxes),
            static_cast<long long>(run.importedItems), static_cast<long long>(run.importedBoxes),
            static_cast<long long>(run.importProblems), static_cast<long long>(run.importSkipped),
            run.pipelineMatch ? "as generated" : "NOT as generated");
        if (!run.firstImportProblem.isEmpty())
            std::printf("    first import problem: %s\n", qPrintable(run.firstImportProblem));
        for (const QString &loss : run.losses)
            std::printf("  loss: %s\n", qPrintable(loss));
        allMatch = allMatch && run.countsMatch && run.pipelineMatch;
    }
    const FileBaseline &files = *fileBaseline;
    std::printf("\nbaseline, same disk, same run: %d files of %lld bytes\n", files.count,
                static_cast<long long>(files.bytes));
    std::printf("  QSaveFile (fdatasync + rename)   %8.3f ms a file, %8.1f s for %lld files\n",
                files.saveFileSeconds * 1e3 / files.count,
                files.saveFileSeconds / files.count * double(options.images),
                static_cast<long long>(options.images));
    std::printf("  QFile + rename, no sync          %8.3f ms a file, %8.1f s for %lld files\n",
                files.plainSeconds * 1e3 / files.count,
                files.plainSeconds / files.count * double(options.images),
                static_cast<long long>(options.images));
    std::printf("\npeak RSS  %.1f MB of the whole process (after the data %.1f MB); per phase: "
                "VmHWM %s\n",
                double(rssPeak) / 1024, double(rssAfterData) / 1024,
                peakWasReset ? "reset at each phase's start (clear_refs)"
                             : "NOT reset (clear_refs refused): each is the process's peak so far");

    // ---- JSON
    QJsonObject formatsJson;
    for (const FormatRun &run : runs) {
        const qint64 items = run.written.items, boxes = run.written.boxes;
        formatsJson.insert(
            run.format->name(),
            QJsonObject{
                {QStringLiteral("collect"), phaseJson(run.collect, items, boxes)},
                {QStringLiteral("write"), phaseJson(run.write, items, boxes)},
                {QStringLiteral("read"), phaseJson(run.read, items, boxes)},
                {QStringLiteral("export"), phaseJson(run.exportPipeline, items, boxes)},
                {QStringLiteral("import"), phaseJson(run.importPipeline, items, boxes)},
                {QStringLiteral("plan_export_median_s"), median(run.planExportSeconds)},
                {QStringLiteral("plan_import_median_s"), median(run.planImportSeconds)},
                {QStringLiteral("export_target_met"),
                 run.exportPipeline.medianSeconds() < kTargetSeconds},
                {QStringLiteral("import_target_met"),
                 run.importPipeline.medianSeconds() < kTargetSeconds},
                {QStringLiteral("pipelines"),
                 QJsonObject{{QStringLiteral("exported_items"), run.exportedItems},
                             {QStringLiteral("exported_boxes"), run.exportedBoxes},
                             {QStringLiteral("imported_items"), run.importedItems},
                             {QStringLiteral("imported_boxes"), run.importedBoxes},
                             {QStringLiteral("import_problems"), run.importProblems},
                             {QStringLiteral("import_skipped_boxes"), run.importSkipped},
                             {QStringLiteral("first_import_problem"), run.firstImportProblem},
                             {QStringLiteral("match"), run.pipelineMatch}}},
                {QStringLiteral("output_bytes"), run.outputBytes},
                {QStringLiteral("output_files"), run.outputFiles},
                {QStringLiteral("written"), countsJson(run.written)},
                {QStringLiteral("read_back"), countsJson(run.readBack)},
                {QStringLiteral("read_problems"), run.readProblems},
                {QStringLiteral("counts_match"), run.countsMatch},
                {QStringLiteral("losses"), QJsonArray::fromStringList(run.losses)}});
    }
    const QJsonObject report{
        {QStringLiteral("benchmark"), QStringLiteral("formats")},
        {QStringLiteral("time"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
        {QStringLiteral("command"), QCoreApplication::arguments().join(QLatin1Char(' '))},
        {QStringLiteral("machine"),
         QJsonObject{{QStringLiteral("cores"), cores},
                     {QStringLiteral("cpu"), cpuModel()},
                     {QStringLiteral("os"), QSysInfo::prettyProductName()},
                     {QStringLiteral("qt"), QString::fromLatin1(qVersion())}}},
        {QStringLiteral("data"),
         QJsonObject{{QStringLiteral("images"), options.images},
                     {QStringLiteral("boxes"), options.boxes},
                     {QStringLiteral("classes"), population.classNames.size()},
                     {QStringLiteral("seed"), QString::number(options.seed)},
                     {QStringLiteral("image_bytes"), images.bytes},
                     {QStringLiteral("images_reused"), images.reused},
                     {QStringLiteral("generate_s"), images.generateSeconds},
                     {QStringLiteral("project_reused"), population.reused},
                     {QStringLiteral("probe_s"), population.probeSeconds},
                     {QStringLiteral("add_items_s"), population.addItemsSeconds},
                     {QStringLiteral("add_annotations_s"), population.addBoxesSeconds},
                     {QStringLiteral("database_bytes"), population.databaseBytes}}},
        {QStringLiteral("runs"), options.runs},
        {QStringLiteral("target_s"), kTargetSeconds},
        {QStringLiteral("peak_rss_method"),
         peakWasReset ? QStringLiteral("VmHWM, reset with /proc/self/clear_refs at each phase")
                      : QStringLiteral("VmHWM not reset: the process's peak so far")},
        {QStringLiteral("formats"), formatsJson},
        {QStringLiteral("file_baseline"),
         QJsonObject{
             {QStringLiteral("files"), files.count},
             {QStringLiteral("bytes_each"), files.bytes},
             {QStringLiteral("qsavefile_ms_per_file"), files.saveFileSeconds * 1e3 / files.count},
             {QStringLiteral("plain_ms_per_file"), files.plainSeconds * 1e3 / files.count}}},
        {QStringLiteral("counts_match"), allMatch},
        {QStringLiteral("peak_rss_kb"), rssPeak},
        {QStringLiteral("peak_rss_after_data_kb"), rssAfterData}};
    if (auto written = writeJsonFile(options.jsonPath, report); !written)
        return fail(written.errorString());
    std::printf("\nreport    %s\n", qPrintable(QFileInfo(options.jsonPath).absoluteFilePath()));
    if (!allMatch)
        return fail(QStringLiteral(
            "what was read back or imported differs from what was written (see above)"));
    return 0;
}
