// bench_editor: how the image editor feels, as BENCHMARKS.md ("Application figures") asks:
// switching to the next 4000x3000 JPEG with the neighbours prefetched (against no prefetch,
// in the same run), frame time while panning over 5,000 boxes, and opening a 20,000 x 20,000
// image to its first paint (then panning it). Real widgets on the offscreen platform; every
// paint is a full, synchronous repaint of the canvas, so the figures are upper bounds of what
// a screen shows. Prints a table and writes a JSON report; see bench/README.md.

#include "core/document/itemdocument.h"
#include "core/import/importer.h"
#include "core/store/projectstore.h"
#include "ui/canvas/canvasscene.h"
#include "ui/canvas/canvasview.h"
#include "ui/canvas/imagecache.h"
#include "ui/canvas/imageeditor.h"
#include "ui/preview/imageloader.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QScrollBar>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

namespace {

using namespace fieldmark;

struct Options
{
    int images = 12; // 4000x3000 JPEGs for the switch
    int width = 4000;
    int height = 3000;
    int boxes = 5000;
    int frames = 200;
    int big = 20000; // side of the large image; 0 skips it
    int bigRuns = 3;
    QString jsonPath = QStringLiteral("bench-editor.json");
};

double ms(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

// CPU time of the calling thread: the GUI thread paints alone, so this is what a frame costs
// whatever else the (shared, noisy) machine is doing.
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t index = std::min(values.size() - 1, size_t(p * double(values.size() - 1) + 0.5));
    return values[index];
}

double median(const std::vector<double> &values)
{
    return percentile(values, 0.5);
}

qint64 peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

QJsonArray toJson(const std::vector<double> &values)
{
    QJsonArray array;
    for (double v : values)
        array.append(v);
    return array;
}

int fail(const QString &message)
{
    std::fprintf(stderr, "bench_editor: %s\n", qPrintable(message));
    return 1;
}

// Runs the event loop until `done`, without polling: a heartbeat timer wakes it to re-check.
bool waitFor(const std::function<bool()> &done, int timeoutMs = 600000)
{
    QTimer heartbeat;
    heartbeat.start(20);
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

// A photo-like JPEG: smooth random shapes (an upscaled small random image) plus fine grain,
// so it compresses like a photograph, not like a flat test card.
bool writePhoto(const QString &path, int width, int height, quint32 seed)
{
    cv::RNG rng(seed);
    cv::Mat small(std::max(2, height / 8), std::max(2, width / 8), CV_8UC3);
    rng.fill(small, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(255));
    cv::GaussianBlur(small, small, cv::Size(0, 0), 3);
    cv::Mat photo;
    cv::resize(small, photo, cv::Size(width, height), 0, 0, cv::INTER_LINEAR);
    small.release();
    // Grain in bands, so a 20,000-pixel image never needs a second full-size buffer.
    const int band = 1024;
    for (int y = 0; y < height; y += band) {
        cv::Mat rows = photo.rowRange(y, std::min(height, y + band));
        cv::Mat grain(rows.size(), CV_8UC3);
        rng.fill(grain, cv::RNG::NORMAL, cv::Scalar::all(0), cv::Scalar::all(10));
        cv::add(rows, grain, rows, cv::noArray(), CV_8UC3);
    }
    return cv::imwrite(path.toStdString(), photo, {cv::IMWRITE_JPEG_QUALITY, 90});
}

struct Project
{
    std::unique_ptr<ProjectStore> store;
    LabelTask task;
    QList<qint64> items;
    qint64 annotator = 0;
};

Result<Project> makeProject(const QString &dir, const QStringList &files)
{
    auto store = ProjectStore::create(dir);
    if (!store)
        return store.error();
    Project project;
    project.store = std::move(store).value();
    auto task = project.store->addTask(QStringLiteral("objects"), TaskType::Boxes,
                                       {QStringLiteral("car"), QStringLiteral("person")});
    if (!task)
        return task.error();
    project.task = *task;
    Importer importer(*project.store);
    for (const QString &file : files) {
        auto summary = importer.importImages({file});
        if (!summary || summary->added != 1)
            return makeError(QStringLiteral("cannot import %1").arg(file));
    }
    project.items = project.store->itemIds();
    auto annotator = project.store->annotatorId(QStringLiteral("bench"));
    if (!annotator)
        return annotator.error();
    project.annotator = *annotator;
    return project;
}

// ---- 1. Next image, with and without prefetch ------------------------------------------------

struct SwitchRun
{
    std::vector<double> msPerSwitch; // document load + image on screen + first paint
};

Result<SwitchRun> measureSwitch(Project &project, const QStringList &files, bool prefetch)
{
    ImageEditor editor;
    editor.resize(1280, 800);
    editor.show();
    SwitchRun run;
    std::unique_ptr<ItemDocument> document;
    for (int i = 0; i < project.items.size(); ++i) {
        QElapsedTimer timer;
        timer.start();
        auto loaded = ItemDocument::load(*project.store, project.items[i], project.task.id,
                                         project.annotator);
        if (!loaded)
            return loaded.error();
        editor.setDocument(loaded->get());
        document = std::move(loaded).value(); // the previous one goes after the switch
        if (!waitFor([&] { return editor.state() != ImageEditor::State::Loading; }))
            return makeError(QStringLiteral("image %1 never arrived").arg(files[i]));
        if (editor.state() != ImageEditor::State::Ready)
            return makeError(editor.message());
        editor.view()->viewport()->repaint();
        const double elapsed = ms(timer);
        if (i > 0) // the first is cold either way
            run.msPerSwitch.push_back(elapsed);
        if (prefetch && i + 1 < files.size()) {
            // The annotator works on this image for longer than the next one takes to decode.
            editor.prefetch({files[i + 1]});
            const QString next = files[i + 1];
            if (!waitFor([&] { return editor.imageCache()->cached(next) != nullptr; }))
                return makeError(QStringLiteral("prefetch of %1 never finished").arg(next));
        }
    }
    editor.setDocument(nullptr);
    return run;
}

// ---- 2. and 3. Panning ------------------------------------------------------------------------

struct PanRun
{
    double scale = 0;
    std::vector<double> msPerFrame;
    std::vector<double> cpuMsPerFrame;
};

// `frames` full repaints, each after moving the view by 8 screen pixels, back and forth.
PanRun pan(ImageEditor &editor, int frames)
{
    PanRun run;
    CanvasView *view = editor.view();
    run.scale = view->scale();
    QScrollBar *h = view->horizontalScrollBar();
    QScrollBar *v = view->verticalScrollBar();
    for (int f = 0; f < frames; ++f) {
        const int direction = (f / 50) % 2 ? -1 : 1;
        QElapsedTimer timer;
        timer.start();
        const double cpu = threadCpuMs();
        h->setValue(h->value() + 8 * direction);
        v->setValue(v->value() + 5 * direction);
        view->viewport()->repaint();
        run.cpuMsPerFrame.push_back(threadCpuMs() - cpu);
        run.msPerFrame.push_back(ms(timer));
    }
    return run;
}

Result<std::vector<PanRun>> measureBoxes(const QString &dir, const QString &image, int boxes,
                                         int frames, int width, int height)
{
    auto project = makeProject(dir, {image});
    if (!project)
        return project.error();
    QList<Annotation> annotations;
    QRandomGenerator random(42);
    for (int i = 0; i < boxes; ++i) {
        Annotation a;
        a.itemId = project->items.constFirst();
        a.taskId = project->task.id;
        a.classId = project->task.classes[i % 2].id;
        const double w = 8 + random.bounded(std::max(1, width / 20));
        const double hgt = 8 + random.bounded(std::max(1, height / 20));
        a.shape = Box{random.bounded(std::max(1.0, width - w)),
                      random.bounded(std::max(1.0, height - hgt)), w, hgt};
        if (i % 10 == 0) { // some proposals awaiting review: dashed, with a confidence
            a.provenance.state = LabelState::Machine;
            a.provenance.confidence = 0.5 + random.bounded(0.5);
        }
        annotations.append(a);
    }
    if (auto added = project->store->addAnnotations(annotations); !added)
        return added.error();
    auto document = ItemDocument::load(*project->store, project->items.constFirst(),
                                       project->task.id, project->annotator);
    if (!document)
        return document.error();
    ImageEditor editor;
    editor.resize(1280, 800);
    editor.show();
    editor.setDocument(document->get());
    if (!waitFor([&] { return editor.state() != ImageEditor::State::Loading; }) ||
        editor.state() != ImageEditor::State::Ready)
        return makeError(QStringLiteral("the boxes image did not open: %1").arg(editor.message()));
    std::vector<PanRun> runs;
    editor.view()->fitToWindow(); // every box on screen: the worst case
    runs.push_back(pan(editor, frames));
    editor.view()->actualSize();
    runs.push_back(pan(editor, frames));
    editor.setDocument(nullptr);
    return runs;
}

struct BigRun
{
    std::vector<double> firstPaintMs; // the preview (or the image, if it came first)
    std::vector<double> readyMs;      // the full-resolution image on screen, tools usable
    double decodeMs = 0;
    double pyramidMs = 0;
    std::vector<PanRun> pans;
};

Result<BigRun> measureBig(const QString &dir, const QString &image, int runs, int frames,
                          bool previews)
{
    BigRun result;
    // The parts, once, outside the editor.
    {
        QElapsedTimer timer;
        timer.start();
        ImageLoader::Decoded decoded = ImageLoader::decode(image, QSize());
        result.decodeMs = ms(timer);
        if (decoded.image.isNull())
            return makeError(decoded.error);
        timer.restart();
        const ImagePyramidPtr pyramid = ImagePyramid::build(std::move(decoded.image));
        result.pyramidMs = ms(timer);
    }
    auto project = makeProject(dir + (previews ? QStringLiteral("-preview") : QString()), {image});
    if (!project)
        return project.error();
    for (int r = 0; r < runs; ++r) {
        ImageEditor editor; // a new cache each time: a cold open
        if (!previews)
            editor.imageCache()->setPreviewThreshold(0);
        editor.resize(1280, 800);
        editor.show();
        QElapsedTimer timer;
        timer.start();
        auto document = ItemDocument::load(*project->store, project->items.constFirst(),
                                           project->task.id, project->annotator);
        if (!document)
            return document.error();
        editor.setDocument(document->get());
        const auto shown = [&] {
            return editor.scene()->image() != nullptr ||
                   editor.state() == ImageEditor::State::Error;
        };
        if (!waitFor(shown))
            return makeError(QStringLiteral("the large image never showed"));
        editor.view()->viewport()->repaint();
        result.firstPaintMs.push_back(ms(timer));
        if (!waitFor([&] { return editor.state() != ImageEditor::State::Loading; }) ||
            editor.state() != ImageEditor::State::Ready)
            return makeError(
                QStringLiteral("the large image did not open: %1").arg(editor.message()));
        editor.view()->viewport()->repaint();
        result.readyMs.push_back(ms(timer));
        if (r + 1 == runs) {
            result.pans.push_back(pan(editor, frames)); // fitted
            editor.view()->actualSize();
            result.pans.push_back(pan(editor, frames));
        }
        editor.setDocument(nullptr);
    }
    return result;
}

QJsonObject panJson(const PanRun &run)
{
    return QJsonObject{{QStringLiteral("scale"), run.scale},
                       {QStringLiteral("median_ms"), median(run.msPerFrame)},
                       {QStringLiteral("p95_ms"), percentile(run.msPerFrame, 0.95)},
                       {QStringLiteral("median_cpu_ms"), median(run.cpuMsPerFrame)},
                       {QStringLiteral("frame_ms"), toJson(run.msPerFrame)}};
}

void printPan(const char *what, const PanRun &run)
{
    std::printf("  %-30s scale %.3f: median %6.2f ms (CPU %6.2f ms), p95 %6.2f ms per frame "
                "(%zu frames)\n",
                what, run.scale, median(run.msPerFrame), median(run.cpuMsPerFrame),
                percentile(run.msPerFrame, 0.95), run.msPerFrame.size());
}

Result<Options> parseOptions(const QApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Image editor benchmark: next-image switch, panning, large images."));
    parser.addHelpOption();
    const QCommandLineOption images(QStringLiteral("images"),
                                    QStringLiteral("JPEGs to switch through (12)."),
                                    QStringLiteral("N"));
    const QCommandLineOption size(QStringLiteral("size"),
                                  QStringLiteral("Their size, WxH (4000x3000)."),
                                  QStringLiteral("WxH"));
    const QCommandLineOption boxes(QStringLiteral("boxes"),
                                   QStringLiteral("Boxes on the panning image (5000)."),
                                   QStringLiteral("N"));
    const QCommandLineOption frames(QStringLiteral("frames"),
                                    QStringLiteral("Frames per panning run (200)."),
                                    QStringLiteral("N"));
    const QCommandLineOption big(QStringLiteral("big"),
                                 QStringLiteral("Side of the large image (20000; 0 skips it)."),
                                 QStringLiteral("PX"));
    const QCommandLineOption bigRuns(QStringLiteral("big-runs"),
                                     QStringLiteral("Cold opens of the large image (3)."),
                                     QStringLiteral("N"));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("JSON report (bench-editor.json)."),
                                  QStringLiteral("FILE"));
    parser.addOptions({images, size, boxes, frames, big, bigRuns, json});
    parser.process(app);
    Options options;
    const auto number = [&parser](const QCommandLineOption &option, int &into, int minimum) {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        into = parser.value(option).toInt(&ok);
        return ok && into >= minimum;
    };
    if (!number(images, options.images, 2) || !number(boxes, options.boxes, 0) ||
        !number(frames, options.frames, 1) || !number(big, options.big, 0) ||
        !number(bigRuns, options.bigRuns, 1))
        return makeError(QStringLiteral("a number option is not a number or is too small"));
    if (parser.isSet(size)) {
        const QStringList parts = parser.value(size).split(QLatin1Char('x'));
        bool okW = false, okH = false;
        if (parts.size() == 2) {
            options.width = parts[0].toInt(&okW);
            options.height = parts[1].toInt(&okH);
        }
        if (!okW || !okH || options.width < 16 || options.height < 16)
            return makeError(QStringLiteral("--size wants WxH, e.g. 4000x3000"));
    }
    if (parser.isSet(json))
        options.jsonPath = parser.value(json);
    return options;
}

} // namespace

int main(int argc, char *argv[])
{
    // Real widgets, no display: the same paint code as on screen, in the raster engine.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    auto parsed = parseOptions(app);
    if (!parsed)
        return fail(parsed.errorString());
    const Options options = *parsed;
    QTemporaryDir temp;
    if (!temp.isValid())
        return fail(QStringLiteral("cannot create a temporary folder"));
    QDir(temp.path()).mkpath(QStringLiteral("images"));

    // ---- Data (not timed)
    std::printf("Preparing %d %dx%d JPEGs in %s ...\n", options.images, options.width,
                options.height, qPrintable(temp.path()));
    std::fflush(stdout);
    QStringList files;
    for (int i = 0; i < options.images; ++i) {
        const QString path =
            temp.filePath(QStringLiteral("images/photo-%1.jpg").arg(i, 3, 10, QLatin1Char('0')));
        if (!writePhoto(path, options.width, options.height, quint32(1000 + i)))
            return fail(QStringLiteral("cannot write %1").arg(path));
        files.append(path);
    }
    const qint64 jpegBytes = QFileInfo(files.constFirst()).size();

    // ---- 1. Switch
    auto switchProject = makeProject(temp.filePath(QStringLiteral("switch")), files);
    if (!switchProject)
        return fail(switchProject.errorString());
    auto cold = measureSwitch(*switchProject, files, false);
    if (!cold)
        return fail(cold.errorString());
    auto warm = measureSwitch(*switchProject, files, true);
    if (!warm)
        return fail(warm.errorString());
    switchProject->store.reset();

    // ---- 2. Boxes
    auto boxes = measureBoxes(temp.filePath(QStringLiteral("boxes")), files.constFirst(),
                              options.boxes, options.frames, options.width, options.height);
    if (!boxes)
        return fail(boxes.errorString());

    // ---- 3. Large image
    std::optional<BigRun> big;
    std::optional<BigRun> bigPlain;
    qint64 bigBytes = 0;
    if (options.big > 0) {
        const QString path = temp.filePath(QStringLiteral("images/big.jpg"));
        std::printf("Preparing a %dx%d JPEG ...\n", options.big, options.big);
        std::fflush(stdout);
        if (!writePhoto(path, options.big, options.big, 7))
            return fail(QStringLiteral("cannot write %1").arg(path));
        bigBytes = QFileInfo(path).size();
        // Without the preview first: the baseline, on the same file in the same run.
        auto plain = measureBig(temp.filePath(QStringLiteral("big")), path, options.bigRuns,
                                options.frames, false);
        if (!plain)
            return fail(plain.errorString());
        bigPlain = *plain;
        auto measured = measureBig(temp.filePath(QStringLiteral("big")), path, options.bigRuns,
                                   options.frames, true);
        if (!measured)
            return fail(measured.errorString());
        big = *measured;
    }
    const qint64 rss = peakRssMb();

    // ---- Table
    const double coldMs = median(cold->msPerSwitch);
    const double warmMs = median(warm->msPerSwitch);
    std::printf("\nFieldmark image editor benchmark\n");
    std::printf("machine   %d cores, %s, Qt %s, platform %s, canvas 1280x800\n",
                QThread::idealThreadCount(), qPrintable(QSysInfo::prettyProductName()), qVersion(),
                qPrintable(QGuiApplication::platformName()));
    std::printf("next image (%dx%d JPEG, %.2f MB; load document, show, first paint; median of "
                "%zu)\n",
                options.width, options.height, double(jpegBytes) / 1e6, warm->msPerSwitch.size());
    std::printf("  with prefetch    %8.1f ms   (p95 %.1f)\n", warmMs,
                percentile(warm->msPerSwitch, 0.95));
    std::printf("  without prefetch %8.1f ms   (p95 %.1f)   prefetch is %.0fx faster\n", coldMs,
                percentile(cold->msPerSwitch, 0.95), warmMs > 0 ? coldMs / warmMs : 0.0);
    std::printf("panning over %d boxes (full repaint of the canvas per frame)\n", options.boxes);
    printPan("fitted (every box on screen)", (*boxes)[0]);
    printPan("1:1", (*boxes)[1]);
    if (big) {
        std::printf("%dx%d JPEG (%.1f MB), cold open, median of %zu:\n", options.big, options.big,
                    double(bigBytes) / 1e6, big->firstPaintMs.size());
        std::printf("  first paint (preview)   %8.0f ms   (without previews: %.0f ms)\n",
                    median(big->firstPaintMs), median(bigPlain->firstPaintMs));
        std::printf("  full resolution ready   %8.0f ms   (without previews: %.0f ms; decode "
                    "%.0f ms + pyramid %.0f ms, measured apart)\n",
                    median(big->readyMs), median(bigPlain->readyMs), big->decodeMs, big->pyramidMs);
        printPan("large image fitted", big->pans[0]);
        printPan("large image 1:1", big->pans[1]);
    }
    std::printf("peak memory %lld MB\n", static_cast<long long>(rss));

    QJsonObject report{
        {QStringLiteral("benchmark"), QStringLiteral("bench_editor")},
        {QStringLiteral("machine"),
         QJsonObject{{QStringLiteral("cores"), QThread::idealThreadCount()},
                     {QStringLiteral("os"), QSysInfo::prettyProductName()},
                     {QStringLiteral("qt"), QString::fromLatin1(qVersion())},
                     {QStringLiteral("platform"), QGuiApplication::platformName()}}},
        {QStringLiteral("switch"),
         QJsonObject{{QStringLiteral("image"),
                      QStringLiteral("%1x%2 JPEG").arg(options.width).arg(options.height)},
                     {QStringLiteral("jpeg_bytes"), jpegBytes},
                     {QStringLiteral("median_ms_prefetch"), warmMs},
                     {QStringLiteral("median_ms_no_prefetch"), coldMs},
                     {QStringLiteral("ms_prefetch"), toJson(warm->msPerSwitch)},
                     {QStringLiteral("ms_no_prefetch"), toJson(cold->msPerSwitch)}}},
        {QStringLiteral("pan_boxes"),
         QJsonObject{{QStringLiteral("boxes"), options.boxes},
                     {QStringLiteral("fitted"), panJson((*boxes)[0])},
                     {QStringLiteral("actual_size"), panJson((*boxes)[1])}}},
        {QStringLiteral("peak_rss_mb"), rss},
    };
    if (big) {
        report.insert(
            QStringLiteral("large_image"),
            QJsonObject{{QStringLiteral("side"), options.big},
                        {QStringLiteral("jpeg_bytes"), bigBytes},
                        {QStringLiteral("median_first_paint_ms"), median(big->firstPaintMs)},
                        {QStringLiteral("first_paint_ms"), toJson(big->firstPaintMs)},
                        {QStringLiteral("median_ready_ms"), median(big->readyMs)},
                        {QStringLiteral("ready_ms"), toJson(big->readyMs)},
                        {QStringLiteral("median_first_paint_ms_no_preview"),
                         median(bigPlain->firstPaintMs)},
                        {QStringLiteral("decode_ms"), big->decodeMs},
                        {QStringLiteral("pyramid_ms"), big->pyramidMs},
                        {QStringLiteral("pan_fitted"), panJson(big->pans[0])},
                        {QStringLiteral("pan_actual_size"), panJson(big->pans[1])}});
    }
    QSaveFile out(options.jsonPath);
    if (!out.open(QIODevice::WriteOnly) || out.write(QJsonDocument(report).toJson()) < 0 ||
        !out.commit())
        return fail(QStringLiteral("cannot write %1").arg(options.jsonPath));
    std::printf("report    %s\n", qPrintable(QDir::toNativeSeparators(options.jsonPath)));
    return 0;
}
