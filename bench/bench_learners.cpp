// bench_learners: accuracy and seconds of the built-in learners on real data sets, as
// BENCHMARKS.md asks for learner figures: the image learner on Fashion-MNIST (2,000 training
// images, 2,000 others to test) and the text learner on the SpamAssassin corpus (1,000 mails
// to train, the rest to test). With --smoke, or when a data set is absent, it runs on small
// generated data instead, so ctest can check that the program still works.

#include "learn/imageclassifier.h"
#include "learn/textclassifier.h"
#include "learn/torchruntime.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTemporaryDir>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <random>

using namespace Qt::StringLiterals;

namespace {

using namespace fieldmark;

void say(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

// The whole of a gzip file, or an empty array.
QByteArray gunzip(const QString &path)
{
    QByteArray out;
    gzFile file = gzopen(QFile::encodeName(path).constData(), "rb");
    if (!file)
        return out;
    char buffer[1 << 16];
    int n = 0;
    while ((n = gzread(file, buffer, sizeof buffer)) > 0)
        out.append(buffer, n);
    gzclose(file);
    return out;
}

quint32 bigEndian(const QByteArray &bytes, int at)
{
    const auto *p = reinterpret_cast<const uchar *>(bytes.constData()) + at;
    return (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | p[3];
}

struct Split
{
    QList<LearnerExample> train;
    QList<LearnerExample> test;
};

// Fashion-MNIST's first `trainCount` training images, and `testCount` of its test images,
// written as PNG files, since the learner reads images from files like the app does.
std::optional<Split> fashionMnist(const QString &dir, const QString &out, int trainCount,
                                  int testCount)
{
    auto read = [&](const QString &prefix, int count, QList<LearnerExample> &into) {
        const QByteArray images = gunzip(dir + u'/' + prefix + u"-images-idx3-ubyte.gz"_s);
        const QByteArray labels = gunzip(dir + u'/' + prefix + u"-labels-idx1-ubyte.gz"_s);
        if (images.size() < 16 || labels.size() < 8 || bigEndian(images, 0) != 2051 ||
            bigEndian(labels, 0) != 2049)
            return false;
        const int rows = int(bigEndian(images, 8));
        const int cols = int(bigEndian(images, 12));
        count = std::min<int>(count, int(bigEndian(images, 4)));
        for (int i = 0; i < count; ++i) {
            const cv::Mat image(rows, cols, CV_8U,
                                const_cast<char *>(images.constData()) + 16 + i * rows * cols);
            LearnerExample e;
            e.item.itemId = into.size() + 1 + (prefix == u"t10k"_s ? 100000 : 0);
            e.item.path = u"%1/%2-%3.png"_s.arg(out, prefix).arg(i);
            e.item.size = QSize(cols, rows);
            if (!cv::imwrite(e.item.path.toStdString(), image))
                return false;
            e.truth.classes = {int(uchar(labels.at(8 + i)))};
            into.append(e);
        }
        return true;
    };
    Split split;
    if (!read(u"train"_s, trainCount, split.train) || !read(u"t10k"_s, testCount, split.test))
        return std::nullopt;
    return split;
}

// SpamAssassin mails (one .txt a mail, in folders named spam-* and *ham*): class 1 is spam.
std::optional<Split> spamAssassin(const QString &dir, int trainCount)
{
    QList<LearnerExample> all;
    QDirIterator it(dir, {u"*.txt"_s}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        LearnerExample e;
        e.item.itemId = all.size() + 1;
        e.item.kind = ItemKind::Text;
        e.item.path = path;
        e.item.text = QString::fromUtf8(file.readAll());
        e.truth.classes = {QFileInfo(path).dir().dirName().startsWith(u"spam"_s) ? 1 : 0};
        all.append(e);
    }
    if (all.size() <= trainCount)
        return std::nullopt;
    std::sort(all.begin(), all.end(), [](const LearnerExample &a, const LearnerExample &b) {
        return a.item.path < b.item.path; // a fixed order before the seeded shuffle
    });
    std::mt19937 rng(7);
    std::shuffle(all.begin(), all.end(), rng);
    return Split{all.mid(0, trainCount), all.mid(trainCount)};
}

// Small stand-ins for --smoke: stripes across or down for images, keyword texts.
Split generatedImages(const QString &out, int perClass)
{
    std::mt19937 rng(3);
    Split split;
    for (int i = 0; i < 2 * perClass; ++i) {
        const int c = i % 2;
        cv::Mat image(28, 28, CV_8U, cv::Scalar(40));
        for (int k = int(rng() % 4); k < 28; k += 6) {
            if (c == 0)
                cv::line(image, {0, k}, {27, k}, cv::Scalar(220), 2);
            else
                cv::line(image, {k, 0}, {k, 27}, cv::Scalar(220), 2);
        }
        LearnerExample e;
        e.item.itemId = i + 1;
        e.item.path = u"%1/gen-%2.png"_s.arg(out).arg(i);
        cv::imwrite(e.item.path.toStdString(), image);
        e.truth.classes = {c};
        (i < perClass ? split.train : split.test).append(e);
    }
    return split;
}

Split generatedTexts(int perClass)
{
    std::mt19937 rng(4);
    const QStringList noise = {u"hello"_s,  u"meeting"_s, u"tomorrow"_s, u"list"_s,
                               u"thanks"_s, u"regards"_s, u"the"_s,      u"and"_s};
    const QStringList spam = {u"free"_s, u"money"_s, u"winner"_s, u"click"_s, u"offer"_s};
    Split split;
    for (int i = 0; i < 2 * perClass; ++i) {
        const int c = i % 2;
        QStringList words;
        for (int k = 0; k < 10; ++k)
            words.append(noise.at(int(rng() % noise.size())));
        if (c == 1)
            words.append({spam.at(int(rng() % spam.size())), spam.at(int(rng() % spam.size()))});
        std::shuffle(words.begin(), words.end(), rng);
        LearnerExample e;
        e.item.itemId = i + 1;
        e.item.kind = ItemKind::Text;
        e.item.text = words.join(u' ');
        e.truth.classes = {c};
        (i < perClass ? split.train : split.test).append(e);
    }
    return split;
}

struct Figures
{
    double trainSeconds = 0;
    double predictSeconds = 0;
    double accuracy = 0;
    // The largest share of the test items, taken most confident first, whose accuracy is still
    // at least 95%: what a perfect calibration could let the model label.
    double coverageAt95 = 0;
    int trained = 0;
    int tested = 0;
};

std::optional<Figures> run(Learner &learner, const LearnerSchema &schema, const Split &split)
{
    if (Result<void> reset = learner.reset(schema); !reset) {
        say(reset.errorString());
        return std::nullopt;
    }
    QElapsedTimer clock;
    clock.start();
    const Result<TrainingReport> report = learner.train(split.train, {});
    if (!report) {
        say(report.errorString());
        return std::nullopt;
    }
    Figures figures;
    figures.trainSeconds = double(clock.nsecsElapsed()) / 1e9;
    QList<LearnerItem> items;
    for (const LearnerExample &e : split.test)
        items.append(e.item);
    clock.restart();
    const Result<QList<LearnerPrediction>> predictions = learner.predict(items, {});
    if (!predictions) {
        say(predictions.errorString());
        return std::nullopt;
    }
    figures.predictSeconds = double(clock.nsecsElapsed()) / 1e9;
    int right = 0;
    std::vector<std::pair<float, bool>> answers; // (confidence, right)
    for (qsizetype i = 0; i < predictions->size(); ++i) {
        const std::vector<float> &p = predictions->at(i).probabilities;
        const auto best = std::max_element(p.begin(), p.end());
        const bool correct = int(best - p.begin()) == split.test.at(i).truth.classes.first();
        right += correct;
        answers.emplace_back(*best, correct);
    }
    std::sort(answers.begin(), answers.end(), std::greater<>());
    int taken = 0, takenRight = 0;
    for (const auto &[confidence, correct] : answers) {
        ++taken;
        takenRight += correct;
        if (double(takenRight) >= 0.95 * taken)
            figures.coverageAt95 = double(taken) / double(answers.size());
    }
    figures.trained = int(split.train.size());
    figures.tested = int(split.test.size());
    figures.accuracy = double(right) / double(std::max<qsizetype>(1, split.test.size()));
    say(u"  %1: trained on %2 in %3 s (%4 epochs, final loss %5), predicted %6 in %7 s, "
        u"accuracy %8%, %9% of them at 95% accuracy"_s.arg(learner.name())
            .arg(figures.trained)
            .arg(figures.trainSeconds, 0, 'f', 1)
            .arg(report->epochs)
            .arg(report->finalLoss, 0, 'f', 3)
            .arg(figures.tested)
            .arg(figures.predictSeconds, 0, 'f', 2)
            .arg(figures.accuracy * 100, 0, 'f', 1)
            .arg(figures.coverageAt95 * 100, 0, 'f', 1));
    return figures;
}

QJsonObject toJson(const Figures &f, const QString &data)
{
    return QJsonObject{{u"data"_s, data},
                       {u"trained"_s, f.trained},
                       {u"tested"_s, f.tested},
                       {u"trainSeconds"_s, f.trainSeconds},
                       {u"predictSeconds"_s, f.predictSeconds},
                       {u"accuracy"_s, f.accuracy},
                       {u"coverageAt95"_s, f.coverageAt95}};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Accuracy and time of the built-in learners"_s);
    parser.addHelpOption();
    const QCommandLineOption fashionOption(u"fashion-mnist"_s,
                                           u"Folder of the Fashion-MNIST idx .gz files"_s, u"dir"_s,
                                           u"/usr/share/datasets/fashion-mnist"_s);
    const QCommandLineOption spamOption(
        u"spam"_s, u"Folder of the SpamAssassin mails (package/data)"_s, u"dir"_s);
    const QCommandLineOption imagesOption(u"images"_s, u"Images to train on, and to test"_s, u"n"_s,
                                          u"2000"_s);
    const QCommandLineOption mailsOption(u"mails"_s, u"Mails to train on (the rest: test)"_s,
                                         u"n"_s, u"1000"_s);
    const QCommandLineOption imageEpochsOption(
        u"image-epochs"_s, u"Epochs of the image learner's train() call"_s, u"n"_s,
        QString::number(ImageClassifierLearner::Options{}.epochs));
    const ImageClassifierLearner::Options imageDefaults;
    const QCommandLineOption imageWidthOption(u"image-width"_s,
                                              u"Channels of the image learner's first block"_s,
                                              u"n"_s, QString::number(imageDefaults.width));
    const QCommandLineOption imageRateOption(u"image-lr"_s, u"The image learner's learning rate"_s,
                                             u"rate"_s,
                                             QString::number(imageDefaults.learningRate));
    const QCommandLineOption threadsOption(u"threads"_s, u"Torch threads (0: cores - 1)"_s, u"n"_s,
                                           u"0"_s);
    const QCommandLineOption smokeOption(u"smoke"_s, u"Small generated data only"_s);
    const QCommandLineOption jsonOption(u"json"_s, u"Write the figures here"_s, u"file"_s);
    parser.addOptions({fashionOption, spamOption, imagesOption, mailsOption, imageEpochsOption,
                       imageWidthOption, imageRateOption, threadsOption, smokeOption, jsonOption});
    parser.process(app);

    const int threads = configureTorchThreads(parser.value(threadsOption).toInt());
    say(u"%1 (%2 thread(s) asked)"_s.arg(torchRuntimeDescription()).arg(threads));
    QTemporaryDir work;
    if (!work.isValid()) {
        say(u"Cannot make a temporary folder"_s);
        return 1;
    }
    const bool smoke = parser.isSet(smokeOption);
    QJsonObject report;
    int failures = 0;

    const int images = parser.value(imagesOption).toInt();
    std::optional<Split> imageSplit;
    QString imageData = u"generated stripes"_s;
    if (!smoke)
        imageSplit = fashionMnist(parser.value(fashionOption), work.path(), images, images);
    if (imageSplit)
        imageData = u"Fashion-MNIST"_s;
    else
        imageSplit = generatedImages(work.path(), 40);
    say(u"Image classifier on %1:"_s.arg(imageData));
    {
        ImageClassifierLearner::Options options;
        options.epochs = std::max(1, parser.value(imageEpochsOption).toInt());
        options.width = std::max(1, parser.value(imageWidthOption).toInt());
        options.learningRate = parser.value(imageRateOption).toDouble();
        ImageClassifierLearner learner(options);
        LearnerSchema schema;
        schema.type = TaskType::ImageClassification;
        schema.classes =
            imageData == u"Fashion-MNIST"_s
                ? QStringList{u"t-shirt"_s, u"trouser"_s,   u"pullover"_s, u"dress"_s,
                              u"coat"_s,    u"sandal"_s,    u"shirt"_s,    u"sneaker"_s,
                              u"bag"_s,     u"ankle boot"_s}
                : QStringList{u"across"_s, u"down"_s};
        if (const std::optional<Figures> f = run(learner, schema, *imageSplit))
            report.insert(u"image"_s, toJson(*f, imageData));
        else
            ++failures;
    }

    std::optional<Split> textSplit;
    QString textData = u"generated keyword texts"_s;
    if (!smoke && parser.isSet(spamOption))
        textSplit = spamAssassin(parser.value(spamOption), parser.value(mailsOption).toInt());
    if (textSplit)
        textData = u"SpamAssassin"_s;
    else
        textSplit = generatedTexts(40);
    say(u"Text classifier on %1:"_s.arg(textData));
    {
        TextClassifierLearner learner;
        LearnerSchema schema;
        schema.type = TaskType::TextClassification;
        schema.classes = {u"ham"_s, u"spam"_s};
        if (const std::optional<Figures> f = run(learner, schema, *textSplit))
            report.insert(u"text"_s, toJson(*f, textData));
        else
            ++failures;
    }

    if (parser.isSet(jsonOption)) {
        QSaveFile file(parser.value(jsonOption));
        if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(report).toJson()) < 0 ||
            !file.commit()) {
            say(u"%1: cannot write the report"_s.arg(parser.value(jsonOption)));
            return 1;
        }
    }
    return failures == 0 ? 0 : 1;
}
