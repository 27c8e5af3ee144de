// fieldmark-cli simulate: a whole labeling job replayed with an oracle of true labels.
#include "cliapp.h"

#include "core/formats/formatregistry.h"
#include "core/labeling/jobtrainer.h"
#include "core/labeling/oracle.h"
#include "core/labeling/simulation.h"
#include "core/store/projectstore.h"
#include "learn/learners.h"
#include "learn/torchruntime.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace {

// The process's peak resident memory, in MB (Linux; 0 elsewhere).
double peakRssMb()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return 0;
}

} // namespace

int CliApp::runSimulate(const QStringList &args)
{
    const QString command = u"simulate"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Replay a complete labeling job: a simulated annotator answers every human request "
        u"with the label in the oracle file (wrongly at --error-rate), the built-in learner "
        u"trains after each batch, until every item is labeled. Writes the labels into the "
        u"project as a real job would, and a JSON report of every iteration."_s);
    parser.addPositionalArgument(u"PROJECT_DIR"_s, u"The project (its items imported)."_s);
    const JobOptions options(parser);
    const QCommandLineOption oracleOption(
        u"oracle"_s, u"A label file with every item's true class."_s, u"FILE"_s);
    const QCommandLineOption formatOption(
        u"oracle-format"_s, u"The oracle file's format (csv, jsonl, groundtruth, ...)."_s,
        u"FORMAT"_s);
    const QCommandLineOption errorOption(
        u"error-rate"_s, u"How often the simulated annotator is wrong (default 0)."_s, u"RATE"_s,
        u"0"_s);
    const QCommandLineOption nameOption(u"name"_s,
                                        u"The job's name (default: simulation and "
                                        u"the time)."_s,
                                        u"NAME"_s);
    const QCommandLineOption reportOption(u"report"_s, u"Write the JSON report here."_s, u"FILE"_s);
    parser.addOptions({oracleOption, formatOption, errorOption, nameOption, reportOption});
    if (const int code = parse(parser, command, args, {u"PROJECT_DIR"_s}, 1); code >= 0)
        return code;
    if (!parser.isSet(oracleOption) || !parser.isSet(formatOption))
        return usageError(parser, command,
                          u"--oracle FILE and --oracle-format FORMAT are needed"_s);
    bool ok = false;
    SimulationOptions simulation;
    simulation.errorRate = parser.value(errorOption).toDouble(&ok);
    if (!ok || simulation.errorRate < 0 || simulation.errorRate >= 1)
        return usageError(
            parser, command,
            u"--error-rate: expected a rate in [0, 1), got '%1'"_s.arg(parser.value(errorOption)));
    auto settings = jobSettingsFrom(parser, options);
    if (!settings)
        return usageError(parser, command, settings.errorString());
    simulation.seed = settings->seed;

    const QString project = parser.positionalArguments().constFirst();
    std::unique_ptr<ProjectStore> store = openProject(project);
    if (!store)
        return Failure;
    const Result<LabelTask> task = chooseTask(*store, parser.value(options.task));
    if (!task)
        return fail(project, task.errorString());
    const FormatRegistry registry = FormatRegistry::builtIn();
    const Format *format = registry.find(parser.value(formatOption));
    if (!format || !format->capabilities().canRead)
        return usageError(
            parser, command,
            u"--oracle-format: unknown format '%1'"_s.arg(parser.value(formatOption)));
    auto oracle = readOracle(*store, task->id, *format,
                             QFileInfo(parser.value(oracleOption)).absoluteFilePath());
    if (!oracle)
        return fail(oracle.errorString());
    std::unique_ptr<Learner> learner = createLearner(task->type);
    if (!learner)
        return fail(project,
                    u"no built-in learner for %1 tasks yet"_s.arg(taskTypeName(task->type)));
    configureTorchThreads();

    const QString name = parser.isSet(nameOption)
                             ? parser.value(nameOption)
                             : u"simulation %1"_s.arg(
                                   QDateTime::currentDateTime().toString(u"yyyy-MM-dd hh:mm:ss"_s));
    auto job =
        createLabelingJob(*store, task->id, name, *settings, parser.value(options.warmStart));
    if (!job)
        return fail(project, job.errorString());
    m_err << "Simulating '" << name << "' (" << labelingPolicyName(settings->policy) << ", "
          << learner->name() << ") over " << oracle->truth.size() << " item(s) with labels\n";
    m_err.flush();
    auto report = simulateJob(*store, *job, *learner, oracle->truth, simulation,
                              Progress([this, last = qint64(0)](qint64 round, qint64) mutable {
                                  if (round > last) {
                                      m_err << "  iteration " << round << " done\n";
                                      m_err.flush();
                                      last = round;
                                  }
                                  return true;
                              }));
    if (!report)
        return fail(project, report.errorString());
    m_out << "Job '" << name << "': " << report->items << " items, " << report->humanLabels
          << " labeled by people, " << report->machineLabels << " by the model (share "
          << QString::number(report->machineShare(), 'f', 3) << ", accuracy "
          << QString::number(report->machineAccuracy, 'f', 4) << "), " << report->iterations.size()
          << " iterations, " << QString::number(report->seconds, 'f', 1) << " s\n";
    if (report->entityF1)
        m_out << "  entities: precision " << QString::number(*report->entityPrecision, 'f', 4)
              << ", recall " << QString::number(*report->entityRecall, 'f', 4) << ", F1 "
              << QString::number(*report->entityF1, 'f', 4) << '\n';
    if (const auto accuracy = report->audit.accuracy())
        m_out << "  audit: " << report->audit.correct << " of " << report->audit.audited
              << " sampled machine labels right; estimated accuracy of all machine labels "
              << QString::number(*accuracy, 'f', 4) << "\n";
    if (parser.isSet(reportOption)) {
        QJsonObject json = report->toJson();
        json.insert(u"policy"_s, labelingPolicyName(settings->policy));
        json.insert(u"learner"_s, learner->name());
        json.insert(u"errorRate"_s, simulation.errorRate);
        json.insert(u"peakRssMb"_s, peakRssMb());
        QSaveFile file(parser.value(reportOption));
        if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(json).toJson()) < 0 ||
            !file.commit())
            return fail(parser.value(reportOption), file.errorString());
    }
    return Success;
}

} // namespace fieldmark
