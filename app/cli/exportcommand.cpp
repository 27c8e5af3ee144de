// fieldmark-cli export: one label task out to a training format, after saying what the format
// would lose.
#include "cliapp.h"

#include "core/formats/exporter.h"
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
    const QCommandLineOption validationOption(
        u"val"_s, u"Share of the items for a validation set, e.g. 0.1 (default: none)."_s,
        u"SHARE"_s, u"0"_s);
    const QCommandLineOption testOption(
        u"test"_s, u"Share of the items for a test set, e.g. 0.1 (default: none)."_s, u"SHARE"_s,
        u"0"_s);
    const QCommandLineOption seedOption(
        u"seed"_s,
        u"Seed of the split: the same seed over the same items gives the same sets (default 0)."_s,
        u"N"_s, u"0"_s);
    const QCommandLineOption mediaOption(
        u"media"_s,
        u"reference (the export points at the images where they are; the default), copy "
        u"(into images/ beside the export) or link (symbolic links there)."_s,
        u"HOW"_s, u"reference"_s);
    parser.addOptions({formatOption, outputOption, taskOption, labelsOption, acceptLossOption,
                       validationOption, testOption, seedOption, mediaOption});
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
    ExportOptions options;
    const QString labelsName = parser.value(labelsOption);
    if (labelsName == "human"_L1)
        options.labels = ExportLabels::HumanOnly;
    else if (labelsName == "all"_L1)
        options.labels = ExportLabels::All;
    else if (labelsName != "reviewed"_L1)
        return usageError(parser, command,
                          u"--labels must be reviewed, human or all, not '%1'"_s.arg(labelsName));
    bool ok = false;
    options.validationShare = parser.value(validationOption).toDouble(&ok);
    if (!ok)
        return usageError(
            parser, command,
            u"--val: expected a share such as 0.1, got '%1'"_s.arg(parser.value(validationOption)));
    options.testShare = parser.value(testOption).toDouble(&ok);
    if (!ok)
        return usageError(
            parser, command,
            u"--test: expected a share such as 0.1, got '%1'"_s.arg(parser.value(testOption)));
    options.seed = parser.value(seedOption).toULongLong(&ok);
    if (!ok)
        return usageError(
            parser, command,
            u"--seed: expected a whole number, got '%1'"_s.arg(parser.value(seedOption)));
    const QString media = parser.value(mediaOption);
    if (media == "copy"_L1)
        options.media = ExportMedia::Copy;
    else if (media == "link"_L1)
        options.media = ExportMedia::Link;
    else if (media != "reference"_L1)
        return usageError(parser, command,
                          u"--media must be reference, copy or link, not '%1'"_s.arg(media));

    const QString project = parser.positionalArguments().constFirst();
    std::unique_ptr<ProjectStore> store = openProject(project);
    if (!store)
        return Failure;
    const Result<LabelTask> task = chooseTask(*store, parser.value(taskOption));
    if (!task) {
        m_err << kProgram << ": " << project << ": " << task.errorString() << '\n';
        return Failure;
    }
    options.taskId = task->id;
    auto plan = planExport(*store, *format, parser.value(outputOption), options);
    if (!plan)
        return fail(project, plan.errorString());
    for (const QString &line : plan->loss.losses)
        m_err << format->displayName() << " would lose: " << line << '\n';
    for (const QString &note : std::as_const(plan->notes))
        m_err << "note: " << note << '\n';
    m_err.flush(); // before the summary on stdout, so a terminal shows them in order
    if (!plan->loss.isEmpty() && !parser.isSet(acceptLossOption)) {
        m_err << kProgram << ": nothing written; run again with --accept-loss to export anyway\n";
        return Failure;
    }
    auto summary = fieldmark::runExport(*plan);
    if (!summary)
        return fail(summary.errorString());
    m_out << "Exported " << summary->items << " item(s) and " << summary->annotations
          << " annotation(s) of task '" << task->name << "' (" << format->displayName() << ")";
    if (summary->mediaFiles)
        m_out << ", " << summary->mediaFiles << " image(s) "
              << (options.media == ExportMedia::Copy ? "copied" : "linked");
    const bool split = plan->subsets.size() > 1 || !plan->subsets.constFirst().name.isEmpty();
    if (!split) {
        m_out << " to " << plan->subsets.constFirst().path << '\n';
        return Success;
    }
    m_out << '\n';
    for (const ExportSubset &subset : std::as_const(plan->subsets))
        m_out << "  " << subset.name << ": " << subset.data.items.size() << " item(s) -> "
              << subset.path << '\n';
    return Success;
}

} // namespace fieldmark
