// bench_spans: the span tagger alone on the Brown entity spans (NAME and NUM, as
// bench/labeling.sh derives them): one train() on the first --train sentences, predict() on the
// rest, and what a confidence threshold would let a labeling job take from the machine. The
// rest is cut in two halves: the threshold is the lowest whole-sentence confidence at which
// the sentences of the first half above it are at least --target exactly right, and the
// figures of the second half at that threshold are reported (share of sentences above it,
// their exact-match accuracy and entity F1), so the threshold is never judged on the data it
// was chosen on. With --smoke, or without --data, it runs on small generated sentences.

#include "benchdata.h"
#include "learn/spantagger.h"
#include "learn/torchruntime.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSet>

#include <algorithm>
#include <cstdio>
#include <random>
#include <set>
#include <tuple>

using namespace Qt::StringLiterals;

namespace {

using namespace fieldmark;

const QStringList kClasses = {u"NAME"_s, u"NUM"_s};

void say(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

// {"text": ..., "entities": [[start, end, "NAME"], ...]} a line, as labeling.sh writes them.
Result<QList<LearnerExample>> readJsonl(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(u"%1: %2"_s.arg(path, file.errorString()));
    QList<LearnerExample> examples;
    int line = 0;
    while (!file.atEnd()) {
        ++line;
        const QByteArray bytes = file.readLine().trimmed();
        if (bytes.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonObject object = QJsonDocument::fromJson(bytes, &error).object();
        if (error.error != QJsonParseError::NoError)
            return makeError(u"%1:%2: %3"_s.arg(path).arg(line).arg(error.errorString()));
        LearnerExample e;
        e.item.itemId = line;
        e.item.kind = ItemKind::Text;
        e.item.text = object.value(u"text"_s).toString();
        for (const QJsonValue &v : object.value(u"entities"_s).toArray()) {
            const QJsonArray triple = v.toArray();
            const int cls = int(kClasses.indexOf(triple.at(2).toString()));
            if (triple.size() != 3 || cls < 0)
                return makeError(
                    u"%1:%2: an entity is [start, end, \"NAME\" or \"NUM\"]"_s.arg(path).arg(line));
            e.truth.spans.append({Span{triple.at(0).toInteger(), triple.at(1).toInteger()}, cls});
        }
        examples.append(e);
    }
    return examples;
}

// Small sentences with names and numbers, for the smoke run.
QList<LearnerExample> generated(int count)
{
    const QStringList names = {u"Anna"_s, u"Brook"_s, u"Carter"_s, u"Dalia"_s, u"Ezra"_s};
    std::mt19937 rng(1);
    QList<LearnerExample> examples;
    for (int i = 0; i < count; ++i) {
        LearnerExample e;
        e.item.itemId = i + 1;
        const QString name = names.at(int(rng() % names.size()));
        const QString number = QString::number(rng() % 500);
        e.item.text = u"Yesterday "_s + name + u" bought "_s + number + u" apples."_s;
        e.truth.spans = {{Span{10, 10 + name.size()}, 0},
                         {Span{18 + name.size(), 18 + name.size() + number.size()}, 1}};
        examples.append(e);
    }
    return examples;
}

using Entity = std::tuple<qint64, qint64, int>;

std::set<Entity> entitiesOf(const QList<std::pair<Span, int>> &spans)
{
    std::set<Entity> out;
    for (const auto &[span, cls] : spans)
        out.insert({span.start, span.end, cls});
    return out;
}

std::set<Entity> entitiesOf(const QList<PredictedSpan> &spans)
{
    std::set<Entity> out;
    for (const PredictedSpan &s : spans)
        out.insert({s.span.start, s.span.end, s.classPosition});
    return out;
}

struct Scored
{
    float confidence = 0;
    bool exact = false;
    int right = 0, predicted = 0, truth = 0; // entities
};

double f1(int right, int predicted, int truth)
{
    return predicted + truth == 0 ? 1.0 : 2.0 * right / double(predicted + truth);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"The span tagger on Brown entity spans"_s);
    parser.addHelpOption();
    const QCommandLineOption dataOption(u"data"_s, u"brown-N.jsonl from bench/labeling.sh"_s,
                                        u"file"_s);
    const QCommandLineOption trainOption(u"train"_s, u"Sentences to train on (2000)"_s, u"n"_s);
    const QCommandLineOption targetOption(u"target"_s, u"Exact-match target (0.95)"_s, u"p"_s);
    const QCommandLineOption smokeOption(u"smoke"_s, u"Small generated data, for CI"_s);
    const QCommandLineOption jsonOption(u"json"_s, u"Write the figures here"_s, u"file"_s);
    const QCommandLineOption epochsOption(u"epochs"_s, u"The tagger's epochs option"_s, u"n"_s);
    const QCommandLineOption hiddenOption(u"hidden"_s, u"The tagger's hidden option"_s, u"n"_s);
    const QCommandLineOption rateOption(u"rate"_s, u"The tagger's learning rate"_s, u"r"_s);
    const QCommandLineOption errorsOption(u"errors"_s, u"Print the first n wrong sentences"_s,
                                          u"n"_s);
    parser.addOptions({dataOption, trainOption, targetOption, smokeOption, jsonOption, epochsOption,
                       hiddenOption, rateOption, errorsOption});
    parser.process(app);
    int trainCount = 2000;
    if (!bench::readNumberOption(parser, trainOption, 1, trainCount)) {
        say(u"--train: a whole number of at least 1"_s);
        return 2;
    }
    SpanTaggerLearner::Options options;
    if (!bench::readNumberOption(parser, epochsOption, 1, options.epochs) ||
        !bench::readNumberOption(parser, hiddenOption, 1, options.hidden)) {
        say(u"--epochs, --hidden: whole numbers of at least 1"_s);
        return 2;
    }
    if (parser.isSet(rateOption))
        options.learningRate = parser.value(rateOption).toDouble();
    int errorsToShow = 0;
    bench::readNumberOption(parser, errorsOption, 0, errorsToShow);
    const double target = parser.isSet(targetOption) ? parser.value(targetOption).toDouble() : 0.95;

    QList<LearnerExample> examples;
    QString source = u"generated"_s;
    if (parser.isSet(dataOption) && !parser.isSet(smokeOption)) {
        Result<QList<LearnerExample>> read = readJsonl(parser.value(dataOption));
        if (!read) {
            say(read.errorString());
            return 1;
        }
        examples = *read;
        source = parser.value(dataOption);
    } else {
        examples = generated(200);
        trainCount = 100;
    }
    if (examples.size() < trainCount + 2) {
        say(u"%1 holds %2 sentences: too few to train on %3 and test on the rest"_s.arg(source)
                .arg(examples.size())
                .arg(trainCount));
        return 2;
    }
    const int threads = configureTorchThreads();
    say(u"bench_spans: %1 (%2 sentences), %3, %4"_s.arg(source)
            .arg(examples.size())
            .arg(torchRuntimeDescription(), bench::cpuModel()));

    // Whether the truth lines up with the words the tagger sees: a span that starts or ends
    // inside a word can never be found exactly.
    int misaligned = 0, spans = 0;
    for (const LearnerExample &e : std::as_const(examples)) {
        QSet<qint64> starts, ends;
        for (const Span &w : SpanTaggerLearner::words(e.item.text)) {
            starts.insert(w.start);
            ends.insert(w.end);
        }
        for (const auto &[span, cls] : e.truth.spans) {
            ++spans;
            misaligned += !starts.contains(span.start) || !ends.contains(span.end);
        }
    }

    const QList<LearnerExample> train = examples.mid(0, trainCount);
    const QList<LearnerExample> test = examples.mid(trainCount);
    SpanTaggerLearner learner(options);
    LearnerSchema schema;
    schema.type = TaskType::Spans;
    schema.classes = kClasses;
    if (Result<void> reset = learner.reset(schema); !reset) {
        say(reset.errorString());
        return 1;
    }
    QElapsedTimer clock;
    clock.start();
    const Result<TrainingReport> report = learner.train(train, {});
    if (!report) {
        say(report.errorString());
        return 1;
    }
    const double trainSeconds = bench::seconds(clock);
    QList<LearnerItem> items;
    for (const LearnerExample &e : test)
        items.append(e.item);
    clock.restart();
    const Result<QList<LearnerPrediction>> predictions = learner.predict(items, {});
    if (!predictions) {
        say(predictions.errorString());
        return 1;
    }
    const double predictSeconds = bench::seconds(clock);

    std::vector<Scored> scored;
    int right = 0, predicted = 0, truth = 0, exact = 0;
    for (qsizetype i = 0; i < test.size(); ++i) {
        const std::set<Entity> expected = entitiesOf(test.at(i).truth.spans);
        const std::set<Entity> answer = entitiesOf(predictions->at(i).spans);
        Scored s;
        s.confidence = predictions->at(i).confidence.value_or(-1);
        s.exact = expected == answer;
        if (!s.exact && errorsToShow > 0) {
            --errorsToShow;
            auto show = [&](const std::set<Entity> &entities) {
                QStringList parts;
                for (const auto &[start, end, cls] : entities)
                    parts.append(u"[%1|%2]"_s.arg(test.at(i).item.text.mid(start, end - start),
                                                  kClasses.at(cls)));
                return parts.join(u' ');
            };
            say(u"%1\n  truth: %2\n  model: %3 (%4)"_s
                    .arg(test.at(i).item.text, show(expected), show(answer))
                    .arg(predictions->at(i).confidence.value_or(-1)));
        }
        s.truth = int(expected.size());
        s.predicted = int(answer.size());
        for (const Entity &entity : answer)
            s.right += int(expected.count(entity));
        right += s.right;
        predicted += s.predicted;
        truth += s.truth;
        exact += s.exact;
        scored.push_back(s);
    }

    // Threshold on the first half: the lowest confidence whose sentences at or above it are
    // exactly right at least `target` of the time (counted from the surest down).
    const size_t half = scored.size() / 2;
    std::vector<Scored> calibration(scored.begin(), scored.begin() + qsizetype(half));
    std::sort(calibration.begin(), calibration.end(),
              [](const Scored &a, const Scored &b) { return a.confidence > b.confidence; });
    float threshold = 2.0f; // nothing passes
    int exactSoFar = 0;
    for (size_t k = 0; k < calibration.size(); ++k) {
        exactSoFar += calibration[k].exact;
        const bool tieFollows = k + 1 < calibration.size() &&
                                calibration[k + 1].confidence == calibration[k].confidence;
        if (!tieFollows && exactSoFar >= target * double(k + 1))
            threshold = calibration[k].confidence;
    }
    int taken = 0, takenExact = 0, takenRight = 0, takenPredicted = 0, takenTruth = 0;
    const int evaluated = int(scored.size() - half);
    for (size_t k = half; k < scored.size(); ++k) {
        const Scored &s = scored[k];
        if (s.confidence < threshold)
            continue;
        ++taken;
        takenExact += s.exact;
        takenRight += s.right;
        takenPredicted += s.predicted;
        takenTruth += s.truth;
    }
    const double share = evaluated ? double(taken) / evaluated : 0;
    const double takenAccuracy = taken ? double(takenExact) / taken : 0;
    const double takenF1 = f1(takenRight, takenPredicted, takenTruth);

    say(u"truth spans off word boundaries: %1 of %2"_s.arg(misaligned).arg(spans));
    say(u"trained on %1 sentences: %2 epochs, %3 s (%4 torch thread(s))"_s.arg(train.size())
            .arg(report->epochs)
            .arg(trainSeconds, 0, 'f', 1)
            .arg(threads));
    say(u"predicted %1 sentences: %2 s"_s.arg(test.size()).arg(predictSeconds, 0, 'f', 2));
    say(u"all test sentences: entity F1 %1 (precision %2, recall %3), exact sentences %4"_s
            .arg(f1(right, predicted, truth), 0, 'f', 4)
            .arg(predicted ? double(right) / predicted : 0, 0, 'f', 4)
            .arg(truth ? double(right) / truth : 0, 0, 'f', 4)
            .arg(double(exact) / test.size(), 0, 'f', 4));
    say(u"threshold %1 (chosen on %2 sentences for %3 exact); on the other %4: share above "
        u"%5, their exact-match accuracy %6, their entity F1 %7"_s.arg(threshold, 0, 'g', 4)
            .arg(half)
            .arg(target)
            .arg(evaluated)
            .arg(share, 0, 'f', 3)
            .arg(takenAccuracy, 0, 'f', 4)
            .arg(takenF1, 0, 'f', 4));
    say(u"peak memory %1 MB"_s.arg(bench::peakRssKb() / 1024));

    if (parser.isSet(jsonOption)) {
        QSaveFile file(parser.value(jsonOption));
        const QJsonObject json{{u"data"_s, source},
                               {u"sentences"_s, examples.size()},
                               {u"misalignedSpans"_s, misaligned},
                               {u"train"_s, train.size()},
                               {u"epochs"_s, report->epochs},
                               {u"trainSeconds"_s, trainSeconds},
                               {u"test"_s, test.size()},
                               {u"predictSeconds"_s, predictSeconds},
                               {u"entityF1"_s, f1(right, predicted, truth)},
                               {u"exactSentences"_s, double(exact) / test.size()},
                               {u"threshold"_s, threshold},
                               {u"machineShare"_s, share},
                               {u"machineExactAccuracy"_s, takenAccuracy},
                               {u"machineEntityF1"_s, takenF1},
                               {u"peakRssMb"_s, bench::peakRssKb() / 1024}};
        if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(json).toJson()) < 0 ||
            !file.commit()) {
            say(u"%1: cannot write the report"_s.arg(parser.value(jsonOption)));
            return 1;
        }
    }
    // The smoke run fails when the tagger cannot learn even the generated sentences.
    return source != u"generated"_s || f1(right, predicted, truth) > 0.9 ? 0 : 1;
}
