// fieldmark-cli export: one label task out to a training format, after saying what the format
// would lose.
#include "cliapp.h"

#include "core/formats/exportdata.h"
#include "core/formats/formatregistry.h"
#include "core/store/projectstore.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace fieldmark {

int CliApp::runExport(const QStringList &args)
{
    const QString command = u"export"_s;
    const FormatRegistry registry = FormatRegistry::builtIn();
    QStringList formatNames;
    for (const Format *format : registry.formats()) {
        if (format->capabilities().canWrite)
            formatNames.append(format->name());
    }
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Write a label task's items and labels in a training format. What the format cannot "
        u"carry is listed first; the export goes ahead only with --accept-loss then."_s);
    parser.addPositionalArgument(u"PROJECT_DIR"_s, u"The project."_s);
    const QCommandLineOption formatOption(
        u"format"_s, u"One of: %1."_s.arg(formatNames.join(u", "_s)), u"FORMAT"_s);
    const QCommandLineOption outputOption(u"output"_s, u"The file or folder to write."_s,
                                          u"PATH"_s);
    const QCommandLineOption taskOption(
        u"task"_s, u"The label task; needed when the project has several."_s, u"NAME"_s);
    const QCommandLineOption labelsOption(
        u"labels"_s,
        u"Which labels: reviewed (human, accepted and edited machine labels; the default), "
        u"human, or all (also machine labels awaiting review)."_s,
        u"WHICH"_s, u"reviewed"_s);
    const QCommandLineOption acceptLossOption(
        u"accept-loss"_s, u"Export even though the format drops something (listed)."_s);
    parser.addOptions({formatOption, outputOption, taskOption, labelsOption, acceptLossOption});
    if (const int code = parse(parser, command, args, {u"PROJECT_DIR"_s}, 1); code >= 0)
        return code;

    const Format *format = registry.find(parser.value(formatOption));
    if (!format || !format->capabilities().canWrite)
        return usageError(parser, command,
                          parser.isSet(formatOption)
                              ? u"unknown format '%1' (known: %2)"_s.arg(parser.value(formatOption),
                                                                         formatNames.join(u", "_s))
                              : u"missing --format (one of: %1)"_s.arg(formatNames.join(u", "_s)));
    if (!parser.isSet(outputOption))
        return usageError(parser, command, u"missing --output"_s);
    const QString labelsName = parser.value(labelsOption);
    ExportLabels labels = ExportLabels::Reviewed;
    if (labelsName == "human"_L1)
        labels = ExportLabels::HumanOnly;
    else if (labelsName == "all"_L1)
        labels = ExportLabels::All;
    else if (labelsName != "reviewed"_L1)
        return usageError(parser, command,
                          u"--labels must be reviewed, human or all, not '%1'"_s.arg(labelsName));

    const QString project = parser.positionalArguments().constFirst();
    std::unique_ptr<ProjectStore> store = openProject(project);
    if (!store)
        return Failure;
    const Result<LabelTask> task = chooseTask(*store, parser.value(taskOption));
    if (!task) {
        m_err << kProgram << ": " << project << ": " << task.errorString() << '\n';
        return Failure;
    }
    if (!format->capabilities().tasks.contains(task->type)) {
        m_err << kProgram << ": " << format->displayName() << " cannot carry task '" << task->name
              << "' (" << taskTypeName(task->type) << ")\n";
        return Failure;
    }
    const QString output = QFileInfo(parser.value(outputOption)).absoluteFilePath();
    const QString datasetRoot =
        format->capabilities().writesFolder ? output : QFileInfo(output).absolutePath();
    auto data = collectExportData(*store, task->id, labels, datasetRoot);
    if (!data) {
        m_err << kProgram << ": " << project << ": " << data.errorString() << '\n';
        return Failure;
    }
    const LossReport loss = format->lossReport(*data);
    for (const QString &line : loss.losses)
        m_err << format->displayName() << " would lose: " << line << '\n';
    if (!loss.isEmpty() && !parser.isSet(acceptLossOption)) {
        m_err << kProgram << ": nothing written; run again with --accept-loss to export anyway\n";
        return Failure;
    }
    if (!QDir().mkpath(datasetRoot)) {
        m_err << kProgram << ": " << datasetRoot << ": cannot create the folder\n";
        return Failure;
    }
    if (auto written = format->write(*data, output); !written) {
        m_err << kProgram << ": " << written.errorString() << '\n';
        return Failure;
    }
    qsizetype annotations = 0;
    for (const ExportItem &item : data->items)
        annotations += item.annotations.size();
    m_out << "Exported " << data->items.size() << " item(s) and " << annotations
          << " annotation(s) of task '" << task->name << "' to " << output << " ("
          << format->displayName() << ")\n";
    return Success;
}

} // namespace fieldmark
