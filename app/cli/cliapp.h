#pragma once

#include "core/model/labeltask.h"
#include "core/util/result.h"

#include <QCommandLineOption>
#include <QStringList>
#include <QTextStream>

#include <memory>

class QCommandLineParser;

namespace fieldmark {

class Format;
class FormatRegistry;
class ProjectStore;
struct JobSettings;

// The options of `import` that bring a training format's labels into a task; added to the
// import command's parser (labelimportcommand.cpp).
struct LabelImportOptions
{
    explicit LabelImportOptions(QCommandLineParser &parser);
    QCommandLineOption task;
    QCommandLineOption addClasses;
    QCommandLineOption knownItemsOnly;
    QCommandLineOption validPart;
    QCommandLineOption annotator;
    QCommandLineOption dryRun;
};

// The program's name, as it starts every message.
inline constexpr QLatin1String kProgram("fieldmark-cli");

// The `fieldmark-cli` program: one method per subcommand (init, import, status, classes,
// relink, export),
// each with its own QCommandLineParser and --help. It only composes the store and the
// importer; every rule about projects lives in core.
//
// Exit codes: 0 success, 1 partial (an import skipped some files), 2 usage or fatal error.
class CliApp
{
public:
    enum ExitCode { Success = 0, Partial = 1, Failure = 2 };

    explicit CliApp(QStringList arguments);
    ~CliApp();

    int run();

private:
    int runInit(const QStringList &args);
    int runImport(const QStringList &args);
    int runStatus(const QStringList &args);
    int runClasses(const QStringList &args);
    int runRelink(const QStringList &args);
    int runExport(const QStringList &args);   // in exportcommand.cpp
    int runJob(const QStringList &args);      // in jobcommand.cpp
    int runSimulate(const QStringList &args); // in simulatecommand.cpp (needs the learners)
    // `import --format coco ...`: labels into a task (labelimportcommand.cpp).
    int runLabelImport(const QCommandLineParser &parser, const LabelImportOptions &options,
                       const Format &format, bool verbose);
    static QStringList labelFormatNames(const FormatRegistry &registry);

    // The options that set up a labeling job (jobcommand.cpp).
    struct JobOptions
    {
        explicit JobOptions(QCommandLineParser &parser);
        QCommandLineOption task, policy, batch, validation, target, maxHuman, seed;
        QCommandLineOption auditRate, auditMax;
    };
    static Result<JobSettings> jobSettingsFrom(const QCommandLineParser &parser,
                                               const JobOptions &options);
    int listClasses(const ProjectStore &store, const LabelTask &task);
    int addClass(ProjectStore &store, const LabelTask &task, const QString &name,
                 const QString &colorText, const QString &keyText);
    int renameClass(ProjectStore &store, const LabelTask &task, const QString &oldName,
                    const QString &newName);

    int printUsage(QTextStream &stream, int exitCode);
    int printVersion();

    // Parses `args` (the words after the subcommand), adding --help. Returns -1 to go on, or
    // the exit code when it printed the help or a usage error. `required` names the positional
    // arguments that must be there; maxPositional < 0 means no limit.
    int parse(QCommandLineParser &parser, const QString &command, const QStringList &args,
              const QStringList &required, qsizetype maxPositional);
    QString helpText(const QCommandLineParser &parser, const QString &command) const;
    int usageError(const QCommandLineParser &parser, const QString &command,
                   const QString &message);

    // Prints why a project cannot be opened and returns null.
    std::unique_ptr<ProjectStore> openProject(const QString &directory);
    // The task named `name`, or the only task when `name` is empty.
    Result<LabelTask> chooseTask(const ProjectStore &store, const QString &name) const;

    // "fieldmark-cli: SUBJECT: REASON" on stderr; returns Failure.
    int fail(const QString &subject, const QString &reason);
    int fail(const QString &message);

    QStringList m_arguments;
    QTextStream m_out;
    QTextStream m_err;
};

} // namespace fieldmark
