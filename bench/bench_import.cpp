// bench_import: how fast a folder of many small images comes into a new project, and how fast
// that project then opens, as BENCHMARKS.md ("Application figures") asks. It prints a table
// and writes a JSON report; see bench/README.md for the options and how to read the figures.

#include "benchdata.h"

#include "core/import/imageprobe.h"
#include "core/import/importer.h"
#include "core/model/item.h"
#include "core/model/labeltask.h"
#include "core/store/projectstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

namespace {

using namespace fieldmark;
using namespace fieldmark::bench;

constexpr double kTargetItemsPerSecond = 5000; // on 2 cores
constexpr double kTargetOpenMs = 1000;

struct Options
{
    qint64 count = 100'000;
    int runs = 3;
    int opens = 5;
    int threads = 0; // importer threads, 0: idealThreadCount
    int batchSize = 1000;
    QString format = QStringLiteral("png");
    int width = 64;
    int height = 48;
    QString dataDir; // empty: a temporary folder
    QString jsonPath = QStringLiteral("bench-import.json");
    bool profile = false;
};

// ---- Import ----------------------------------------------------------------------------------

struct ImportRun
{
    QString projectDir;
    qint64 taskId = 0;
    double seconds = 0;
    double itemsPerSecond = 0;
    double walkSeconds = -1; // to the first progress call that knew the total: the walk is over
    double firstItemsSeconds = -1; // first progress call with items done
    int progressCalls = 0;
    qint64 seen = 0;
    qint64 added = 0;
    qint64 databaseBytes = 0;
};

qint64 databaseBytes(const QString &projectDir)
{
    const QString db =
        projectDir + QLatin1Char('/') + QString::fromLatin1(ProjectStore::kDatabaseFileName);
    return QFileInfo(db).size() + QFileInfo(db + QStringLiteral("-wal")).size();
}

Result<ImportRun> runImport(const Options &options, const ImageSet &data, const QString &projectDir)
{
    ImportRun run;
    run.projectDir = projectDir;
    auto created = ProjectStore::create(projectDir);
    if (!created)
        return makeError(QStringLiteral("cannot create a project in %1: %2")
                             .arg(projectDir, created.errorString()));
    std::unique_ptr<ProjectStore> store = std::move(created).value();
    // A task made at init, as a new project has, so the first status query has one to count.
    auto task =
        store->addTask(QStringLiteral("objects"), TaskType::ImageClassification,
                       {QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("bird")});
    if (!task)
        return makeError(QStringLiteral("cannot add a task: %1").arg(task.errorString()));
    run.taskId = task->id;

    ImportOptions importOptions;
    importOptions.threads = options.threads;
    importOptions.batchSize = options.batchSize;
    importOptions.annotator = QStringLiteral("bench_import");
    Importer importer(*store, importOptions);
    QElapsedTimer timer;
    importer.setProgress([&](qint64 done, qint64 total) {
        const double now = seconds(timer);
        if (total >= 0 && run.walkSeconds < 0)
            run.walkSeconds = now;
        if (done > 0 && run.firstItemsSeconds < 0)
            run.firstItemsSeconds = now;
        ++run.progressCalls;
    });
    timer.start();
    auto summary = importer.importImages({data.imagesDir});
    run.seconds = seconds(timer);
    if (!summary)
        return makeError(QStringLiteral("import failed: %1").arg(summary.errorString()));
    run.seen = summary->seen;
    run.added = summary->added;
    run.itemsPerSecond = run.seconds > 0 ? double(run.added) / run.seconds : 0;
    if (!summary->problems.isEmpty())
        return makeError(
            QStringLiteral("the import skipped %1 files, e.g. %2: %3")
                .arg(summary->problems.size())
                .arg(summary->problems.first().path, summary->problems.first().reason));
    if (!summary->duplicates.isEmpty())
        return makeError(
            QStringLiteral("the import found %1 duplicates, e.g. %2 of %3")
                .arg(summary->duplicates.size())
                .arg(summary->duplicates.first().path, summary->duplicates.first().existingPath));
    if (run.added != data.count)
        return makeError(QStringLiteral("the import added %1 items, expected %2")
                             .arg(run.added)
                             .arg(data.count));
    store.reset();
    run.databaseBytes = databaseBytes(projectDir);
    return run;
}

// ---- Opening the project, as the app does, up to the first status query ----------------------

struct OpenSample
{
    double openMs = 0;
    double statusMs = 0; // taskStatus
    double countMs = 0;  // itemCount
    double totalMs = 0;
};

Result<std::vector<OpenSample>> measureOpen(const ImportRun &run, qint64 expected,
                                            bool checkIntegrity, int times)
{
    std::vector<OpenSample> samples;
    for (int i = 0; i < times; ++i) {
        OpenSample sample;
        ProjectStore::OpenOptions openOptions;
        openOptions.checkIntegrity = checkIntegrity;
        QElapsedTimer timer;
        timer.start();
        auto opened = ProjectStore::open(run.projectDir, openOptions);
        sample.openMs = seconds(timer) * 1e3;
        if (!opened)
            return makeError(
                QStringLiteral("cannot open %1: %2").arg(run.projectDir, opened.errorString()));
        const TaskStatus status = (*opened)->taskStatus(run.taskId);
        const double afterStatus = seconds(timer) * 1e3;
        const qint64 items = (*opened)->itemCount();
        sample.totalMs = seconds(timer) * 1e3;
        sample.statusMs = afterStatus - sample.openMs;
        sample.countMs = sample.totalMs - afterStatus;
        if (items != expected || status.items != expected || status.unlabeled != expected)
            return makeError(QStringLiteral("the opened project counts %1 items (%2 of the task, "
                                            "%3 unlabeled), expected %4")
                                 .arg(items)
                                 .arg(status.items)
                                 .arg(status.unlabeled)
                                 .arg(expected));
        samples.push_back(sample);
    }
    return samples;
}

template<typename F>
std::vector<double> field(const std::vector<OpenSample> &samples, F f)
{
    std::vector<double> values;
    for (const OpenSample &s : samples)
        values.push_back(f(s));
    return values;
}

// ---- Baseline and profile: the phases of an import measured one by one ----------------------

struct Phase
{
    double seconds = 0;
    qint64 files = 0;
    double perSecond() const { return seconds > 0 ? double(files) / seconds : 0; }
};

// The walk as an import does it: every image file under the folder.
QStringList listImages(const QString &dir, Phase &phase)
{
    QElapsedTimer timer;
    timer.start();
    QStringList files;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        if (isImageFileName(it.fileName()))
            files.append(it.filePath());
    }
    phase.seconds = seconds(timer);
    phase.files = files.size();
    return files;
}

// Reading and hashing every file is work no import can avoid: the baseline import is compared
// with, measured in the same run on the same (cached) files.
QByteArray readAndHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha1);
    hash.addData(&file);
    return hash.result();
}

Phase baselineReadHash(const QStringList &files, int threads)
{
    QThreadPool pool;
    pool.setMaxThreadCount(threads);
    std::atomic<qint64> ok{0};
    QElapsedTimer timer;
    timer.start();
    QtConcurrent::blockingMap(&pool, files, [&](const QString &path) {
        if (!readAndHash(path).isEmpty())
            ++ok;
    });
    return Phase{seconds(timer), ok.load()};
}

struct Profile
{
    Phase probeParallel;   // probeImageFile over every file, import threads
    double probeUs = 0;    // per file, one thread, over a sample
    double readHashUs = 0; // per file, one thread, same sample
    int sample = 0;
    Phase insert; // ProjectStore::addItems of the probed items, in import batches
};

Result<Profile> runProfile(const Options &options, const QStringList &files, int threads,
                           const QString &projectDir)
{
    Profile profile;
    struct Slot
    {
        QString path;
        ImageProbe probe;
    };
    std::vector<Slot> probes;
    probes.reserve(size_t(files.size()));
    for (const QString &path : files)
        probes.push_back(Slot{path, {}});

    QThreadPool pool;
    pool.setMaxThreadCount(threads);
    QElapsedTimer timer;
    timer.start();
    QtConcurrent::blockingMap(&pool, probes,
                              [](Slot &slot) { slot.probe = probeImageFile(slot.path); });
    profile.probeParallel = Phase{seconds(timer), qint64(probes.size())};
    for (const Slot &slot : probes)
        if (!slot.probe.ok)
            return makeError(
                QStringLiteral("probe refused %1: %2").arg(slot.path, slot.probe.error));

    profile.sample = int(std::min<qsizetype>(files.size(), 2000));
    timer.restart();
    for (int i = 0; i < profile.sample; ++i)
        (void)probeImageFile(files.at(i));
    profile.probeUs = seconds(timer) * 1e6 / std::max(1, profile.sample);
    timer.restart();
    for (int i = 0; i < profile.sample; ++i)
        (void)readAndHash(files.at(i));
    profile.readHashUs = seconds(timer) * 1e6 / std::max(1, profile.sample);

    auto created = ProjectStore::create(projectDir);
    if (!created)
        return makeError(QStringLiteral("cannot create a project in %1: %2")
                             .arg(projectDir, created.errorString()));
    std::unique_ptr<ProjectStore> store = std::move(created).value();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<Item> batch;
    timer.restart();
    for (size_t i = 0; i < probes.size(); ++i) {
        const ImageProbe &probe = probes[i].probe;
        Item item;
        item.kind = ItemKind::Image;
        item.path = probes[i].path;
        item.fileSize = probe.fileSize;
        item.hash = probe.hash;
        item.width = probe.width;
        item.height = probe.height;
        item.addedAtMs = now;
        batch.append(std::move(item));
        if (batch.size() == options.batchSize || i + 1 == probes.size()) {
            auto added = store->addItems(batch);
            if (!added)
                return makeError(QStringLiteral("addItems failed: %1").arg(added.errorString()));
            profile.insert.files += added->addedIds.size();
            batch.clear();
        }
    }
    profile.insert.seconds = seconds(timer);
    return profile;
}

// ---- Report ----------------------------------------------------------------------------------

QJsonArray toJson(const std::vector<double> &values)
{
    QJsonArray array;
    for (double v : values)
        array.append(v);
    return array;
}

QJsonObject openJson(const std::vector<OpenSample> &samples)
{
    const auto total = field(samples, [](const OpenSample &s) { return s.totalMs; });
    const auto open = field(samples, [](const OpenSample &s) { return s.openMs; });
    const auto status = field(samples, [](const OpenSample &s) { return s.statusMs; });
    const auto count = field(samples, [](const OpenSample &s) { return s.countMs; });
    return QJsonObject{{QStringLiteral("median_total_ms"), median(total)},
                       {QStringLiteral("median_open_ms"), median(open)},
                       {QStringLiteral("median_task_status_ms"), median(status)},
                       {QStringLiteral("median_item_count_ms"), median(count)},
                       {QStringLiteral("total_ms"), toJson(total)},
                       {QStringLiteral("open_ms"), toJson(open)}};
}

void printOpenRow(const char *name, const std::vector<double> &values)
{
    std::printf("  %-34s %9.1f %9.1f %9.1f\n", name, median(values),
                *std::min_element(values.begin(), values.end()),
                *std::max_element(values.begin(), values.end()));
}

Result<Options> parseOptions(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Times importing N generated images into a new project, and opening it."));
    parser.addHelpOption();
    const QCommandLineOption count(QStringLiteral("count"),
                                   QStringLiteral("Images to generate and import (100000)."),
                                   QStringLiteral("N"));
    const QCommandLineOption runs(QStringLiteral("runs"),
                                  QStringLiteral("Imports, each into a new project (3)."),
                                  QStringLiteral("R"));
    const QCommandLineOption opens(
        QStringLiteral("opens"), QStringLiteral("Project opens to time (5)."), QStringLiteral("K"));
    const QCommandLineOption dir(
        QStringLiteral("dir"),
        QStringLiteral("Folder for the generated images, kept and reused on the next run "
                       "(default: a temporary folder)."),
        QStringLiteral("D"));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("JSON report (bench-import.json)."),
                                  QStringLiteral("FILE"));
    const QCommandLineOption threads(QStringLiteral("threads"),
                                     QStringLiteral("Importer threads (0: all cores)."),
                                     QStringLiteral("T"));
    const QCommandLineOption batch(QStringLiteral("batch"),
                                   QStringLiteral("Items per transaction (1000)."),
                                   QStringLiteral("B"));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("png or jpeg (png)."),
                                    QStringLiteral("F"));
    const QCommandLineOption profile(
        QStringLiteral("profile"),
        QStringLiteral("Also time the phases alone: probe (parallel and per file), insert."));
    parser.addOptions({count, runs, opens, dir, json, threads, batch, format, profile});
    parser.process(app);

    Options options;
    bool ok = true;
    auto number = [&](const QCommandLineOption &option, auto &target, qint64 min) {
        ok = readNumberOption(parser, option, min, target) && ok;
    };
    number(count, options.count, 1);
    number(runs, options.runs, 1);
    number(opens, options.opens, 1);
    number(threads, options.threads, 0);
    number(batch, options.batchSize, 1);
    if (!ok)
        return makeError(QStringLiteral("--count, --runs, --opens, --batch take a positive "
                                        "number, --threads zero or more"));
    if (parser.isSet(dir))
        options.dataDir = QDir(parser.value(dir)).absolutePath();
    if (parser.isSet(json))
        options.jsonPath = parser.value(json);
    if (parser.isSet(format))
        options.format = parser.value(format).toLower();
    if (options.format == QLatin1String("jpg"))
        options.format = QStringLiteral("jpeg");
    if (options.format != QLatin1String("png") && options.format != QLatin1String("jpeg"))
        return makeError(QStringLiteral("--format is png or jpeg"));
    options.profile = parser.isSet(profile);
    return options;
}

int fail(const QString &message)
{
    std::fprintf(stderr, "bench_import: %s\n", qPrintable(message));
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
    const int importThreads = options.threads > 0 ? options.threads : cores;

    // The data: not timed.
    QTemporaryDir tempData;
    QTemporaryDir projects;
    if ((options.dataDir.isEmpty() && !tempData.isValid()) || !projects.isValid())
        return fail(QStringLiteral("cannot create a temporary folder"));
    const QString dataRoot = options.dataDir.isEmpty() ? tempData.path() : options.dataDir;
    std::printf("Preparing %lld %s images in %s ...\n", static_cast<long long>(options.count),
                qPrintable(options.format), qPrintable(dataRoot));
    std::fflush(stdout);
    auto prepared = prepareImages(
        ImageSetSpec{options.count, options.format, options.width, options.height}, dataRoot);
    if (!prepared)
        return fail(prepared.errorString());
    const ImageSet data = *prepared;
    const qint64 rssAfterData = peakRssKb();

    // Baseline: the walk, then read + SHA-1 of every file with the importer's thread count.
    // Twice, before the imports: the first pass brings the files into the page cache (its time
    // depends on what was cached), the second is the baseline, and every import then finds
    // the files cached too.
    Phase walk;
    const QStringList files = listImages(data.imagesDir, walk);
    const Phase firstRead = baselineReadHash(files, importThreads);
    const Phase baseline = baselineReadHash(files, importThreads);

    // Import, each run into a new project.
    std::vector<ImportRun> runs;
    for (int r = 0; r < options.runs; ++r) {
        auto run = runImport(options, data, projects.filePath(QStringLiteral("run-%1").arg(r + 1)));
        if (!run)
            return fail(run.errorString());
        std::printf("  import run %d: %.2f s, %.0f items/s\n", r + 1, run->seconds,
                    run->itemsPerSecond);
        std::fflush(stdout);
        runs.push_back(*run);
    }
    const qint64 rssAfterImport = peakRssKb();
    std::vector<double> rates;
    for (const ImportRun &run : runs)
        rates.push_back(run.itemsPerSecond);
    const double medianRate = median(rates);

    // Opening the last run's project, as the app does, then without the integrity check.
    auto checked = measureOpen(runs.back(), data.count, true, options.opens);
    if (!checked)
        return fail(checked.errorString());
    auto unchecked = measureOpen(runs.back(), data.count, false, options.opens);
    if (!unchecked)
        return fail(unchecked.errorString());
    const double medianOpenMs =
        median(field(*checked, [](const OpenSample &s) { return s.totalMs; }));

    std::optional<Profile> profile;
    if (options.profile) {
        auto measured =
            runProfile(options, files, importThreads, projects.filePath(QStringLiteral("insert")));
        if (!measured)
            return fail(measured.errorString());
        profile = *measured;
    }
    const qint64 rssPeak = peakRssKb();

    // ---- Table
    const bool rateMet = medianRate >= kTargetItemsPerSecond;
    const bool openMet = medianOpenMs < kTargetOpenMs;
    std::printf("\nFieldmark import benchmark\n");
    std::printf("machine   %d cores (QThread::idealThreadCount), %s, %s, Qt %s\n", cores,
                qPrintable(cpuModel()), qPrintable(QSysInfo::prettyProductName()), qVersion());
    std::printf("data      %lld %s %dx%d images, %.1f MB, %d to a folder, in %s\n",
                static_cast<long long>(data.count), qPrintable(options.format), options.width,
                options.height, double(data.bytes) / 1e6, kFilesPerFolder,
                qPrintable(data.imagesDir));
    if (data.reused)
        std::printf("          reused from an earlier run (not timed)\n");
    else
        std::printf("          %lld written in %.1f s on %d threads (not timed)\n",
                    static_cast<long long>(data.written), data.generateSeconds, cores);
    std::printf("\nimport into a new project: %d threads, %d items per transaction, files in the "
                "page cache\n",
                importThreads, options.batchSize);
    std::printf("  %-4s %10s %10s %14s %12s %10s\n", "run", "seconds", "items/s", "walk s", "db MB",
                "progress");
    for (size_t i = 0; i < runs.size(); ++i)
        std::printf("  %-4zu %10.2f %10.0f %14.2f %12.1f %10d\n", i + 1, runs[i].seconds,
                    runs[i].itemsPerSecond, runs[i].walkSeconds,
                    double(runs[i].databaseBytes) / 1e6, runs[i].progressCalls);
    std::printf("  median %.0f items/s  (target >= %.0f on 2 cores: %s)\n", medianRate,
                kTargetItemsPerSecond, rateMet ? "met" : "NOT met");

    std::printf("\nopen the project (%lld items) up to the first status query, %d times\n",
                static_cast<long long>(data.count), options.opens);
    std::printf("  %-34s %9s %9s %9s\n", "", "median ms", "min", "max");
    printOpenRow("open + taskStatus + itemCount",
                 field(*checked, [](const OpenSample &s) { return s.totalMs; }));
    printOpenRow("  open (integrity check)",
                 field(*checked, [](const OpenSample &s) { return s.openMs; }));
    printOpenRow("  taskStatus", field(*checked, [](const OpenSample &s) { return s.statusMs; }));
    printOpenRow("  itemCount", field(*checked, [](const OpenSample &s) { return s.countMs; }));
    printOpenRow("same, no integrity check",
                 field(*unchecked, [](const OpenSample &s) { return s.totalMs; }));
    printOpenRow("  open (no integrity check)",
                 field(*unchecked, [](const OpenSample &s) { return s.openMs; }));
    std::printf("  median %.1f ms  (target < %.0f ms: %s)\n", medianOpenMs, kTargetOpenMs,
                openMet ? "met" : "NOT met");

    std::printf("\nbaseline, same files, same run\n");
    std::printf("  walk (QDirIterator, 1 thread)      %8.2f s  %10.0f files/s\n", walk.seconds,
                walk.perSecond());
    std::printf(
        "  read + SHA-1, first pass (%d threads) %6.2f s  %10.0f files/s (warms the cache)\n",
        importThreads, firstRead.seconds, firstRead.perSecond());
    std::printf("  read + SHA-1 (%d threads)           %8.2f s  %10.0f files/s\n", importThreads,
                baseline.seconds, baseline.perSecond());
    const double ratio = baseline.perSecond() > 0 ? medianRate / baseline.perSecond() : 0;
    std::printf("  import / baseline speed: %.2f\n", ratio);
    if (profile) {
        std::printf("\nprofile: phases alone\n");
        std::printf("  probeImageFile (%d threads)        %8.2f s  %10.0f files/s\n", importThreads,
                    profile->probeParallel.seconds, profile->probeParallel.perSecond());
        std::printf("  probeImageFile, 1 thread           %8.1f us per file (%d files)\n",
                    profile->probeUs, profile->sample);
        std::printf("  read + SHA-1, 1 thread             %8.1f us per file (%d files)\n",
                    profile->readHashUs, profile->sample);
        std::printf("  addItems, batches of %-5d         %8.2f s  %10.0f items/s\n",
                    options.batchSize, profile->insert.seconds, profile->insert.perSecond());
    }
    std::printf("\npeak RSS  %.1f MB (after generation %.1f MB, after imports %.1f MB)\n",
                double(rssPeak) / 1024, double(rssAfterData) / 1024, double(rssAfterImport) / 1024);

    // ---- JSON
    QJsonArray runsJson;
    for (const ImportRun &run : runs)
        runsJson.append(QJsonObject{{QStringLiteral("seconds"), run.seconds},
                                    {QStringLiteral("items_per_s"), run.itemsPerSecond},
                                    {QStringLiteral("walk_s"), run.walkSeconds},
                                    {QStringLiteral("first_items_s"), run.firstItemsSeconds},
                                    {QStringLiteral("progress_calls"), run.progressCalls},
                                    {QStringLiteral("seen"), run.seen},
                                    {QStringLiteral("added"), run.added},
                                    {QStringLiteral("database_bytes"), run.databaseBytes}});
    QJsonObject report{
        {QStringLiteral("benchmark"), QStringLiteral("import")},
        {QStringLiteral("time"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
        {QStringLiteral("command"), QCoreApplication::arguments().join(QLatin1Char(' '))},
        {QStringLiteral("machine"),
         QJsonObject{{QStringLiteral("cores"), cores},
                     {QStringLiteral("cpu"), cpuModel()},
                     {QStringLiteral("os"), QSysInfo::prettyProductName()},
                     {QStringLiteral("qt"), QString::fromLatin1(qVersion())}}},
        {QStringLiteral("data"),
         QJsonObject{{QStringLiteral("count"), data.count},
                     {QStringLiteral("format"), options.format},
                     {QStringLiteral("width"), options.width},
                     {QStringLiteral("height"), options.height},
                     {QStringLiteral("bytes"), data.bytes},
                     {QStringLiteral("files_per_folder"), kFilesPerFolder},
                     {QStringLiteral("reused"), data.reused},
                     {QStringLiteral("generate_seconds"), data.generateSeconds}}},
        {QStringLiteral("import"),
         QJsonObject{{QStringLiteral("threads"), importThreads},
                     {QStringLiteral("batch_size"), options.batchSize},
                     {QStringLiteral("runs"), runsJson},
                     {QStringLiteral("median_items_per_s"), medianRate},
                     {QStringLiteral("target_items_per_s"), kTargetItemsPerSecond},
                     {QStringLiteral("target_met"), rateMet}}},
        {QStringLiteral("open"),
         QJsonObject{{QStringLiteral("times"), options.opens},
                     {QStringLiteral("integrity_check"), openJson(*checked)},
                     {QStringLiteral("no_integrity_check"), openJson(*unchecked)},
                     {QStringLiteral("median_ms"), medianOpenMs},
                     {QStringLiteral("target_ms"), kTargetOpenMs},
                     {QStringLiteral("target_met"), openMet}}},
        {QStringLiteral("baseline"),
         QJsonObject{{QStringLiteral("walk_s"), walk.seconds},
                     {QStringLiteral("first_read_sha1_s"), firstRead.seconds},
                     {QStringLiteral("read_sha1_s"), baseline.seconds},
                     {QStringLiteral("read_sha1_files_per_s"), baseline.perSecond()},
                     {QStringLiteral("import_over_baseline"), ratio}}},
        {QStringLiteral("peak_rss_kb"), rssPeak},
        {QStringLiteral("peak_rss_after_generation_kb"), rssAfterData},
        {QStringLiteral("peak_rss_after_imports_kb"), rssAfterImport}};
    if (profile)
        report.insert(
            QStringLiteral("profile"),
            QJsonObject{
                {QStringLiteral("probe_parallel_s"), profile->probeParallel.seconds},
                {QStringLiteral("probe_parallel_files_per_s"), profile->probeParallel.perSecond()},
                {QStringLiteral("probe_us_per_file_1_thread"), profile->probeUs},
                {QStringLiteral("read_sha1_us_per_file_1_thread"), profile->readHashUs},
                {QStringLiteral("sample_files"), profile->sample},
                {QStringLiteral("insert_s"), profile->insert.seconds},
                {QStringLiteral("insert_items_per_s"), profile->insert.perSecond()}});

    QSaveFile out(options.jsonPath);
    if (!out.open(QIODevice::WriteOnly) || out.write(QJsonDocument(report).toJson()) < 0 ||
        !out.commit())
        return fail(QStringLiteral("cannot write %1").arg(options.jsonPath));
    std::printf("\nreport    %s\n", qPrintable(QFileInfo(options.jsonPath).absoluteFilePath()));
    return 0;
}
