#include "cliapp.h"

#include "importcommand.h"

#include "core/formats/formatregistry.h"
#include "core/import/imageprobe.h"
#include "core/model/item.h"
#include "core/store/projectstore.h"

#ifdef FIELDMARK_HAVE_LEARN
#include "learn/torchruntime.h"
#endif

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeySequence>
#include <QRegularExpression>

#include <algorithm>
#include <cstdio>

#ifdef Q_OS_WIN
#include <io.h>
#define FIELDMARK_ISATTY(fd) _isatty(fd)
#else
#include <unistd.h>
#define FIELDMARK_ISATTY(fd) isatty(fd)
#endif

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace {

constexpr qint64 kListLimit = 20; // skipped and duplicate files listed after an import

std::optional<qint64> positiveNumber(const QString &text)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    return ok && value > 0 ? std::optional<qint64>(value) : std::nullopt;
}

QString plural(qint64 count, const QString &singular, const QString &pluralForm)
{
    return QString::number(count) + u' ' + (count == 1 ? singular : pluralForm);
}

// Removes what `init` created when it could not finish, so that a second try is not refused.
void removeNewProject(const QString &directory, bool directoryWasNew)
{
    QDir dir(directory);
    const QString database = QLatin1String(ProjectStore::kDatabaseFileName);
    for (const QString &suffix : {QString(), u"-wal"_s, u"-shm"_s, u"-journal"_s})
        dir.remove(database + suffix);
    QDir(dir.filePath(QLatin1String(ProjectStore::kCacheDirName))).removeRecursively();
    if (directoryWasNew)
        QDir().rmdir(dir.absolutePath());
}

} // namespace

CliApp::CliApp(QStringList arguments)
    : m_arguments(std::move(arguments))
    , m_out(stdout)
    , m_err(stderr)
{}

CliApp::~CliApp() = default;

int CliApp::run()
{
    QStringList args = m_arguments.mid(1);
    if (args.size() == 2 && args.constFirst() == "help"_L1)
        args = QStringList{args.at(1), u"--help"_s}; // `fieldmark-cli help import`
    const QString command = args.value(0);
    const QStringList rest = args.mid(1);
    int code = Failure;
    if (args.isEmpty())
        code = printUsage(m_err, Failure);
    else if (command == "-h"_L1 || command == "--help"_L1 || command == "help"_L1)
        code = printUsage(m_out, Success);
    else if (command == "-v"_L1 || command == "--version"_L1)
        code = printVersion();
    else if (command == "init"_L1)
        code = runInit(rest);
    else if (command == "import"_L1)
        code = runImport(rest);
    else if (command == "status"_L1)
        code = runStatus(rest);
    else if (command == "classes"_L1)
        code = runClasses(rest);
    else if (command == "relink"_L1)
        code = runRelink(rest);
    else if (command == "export"_L1)
        code = runExport(rest);
    else if (command == "job"_L1)
        code = runJob(rest);
    else {
        m_err << kProgram << ": "
              << (command.startsWith(u'-') ? u"unknown option '%1'"_s : u"unknown command '%1'"_s)
                     .arg(command)
              << "\n\n";
        code = printUsage(m_err, Failure);
    }
    m_out.flush();
    m_err.flush();
    return code;
}

int CliApp::printUsage(QTextStream &stream, int exitCode)
{
    stream << "Usage: " << kProgram << " COMMAND [options] [arguments]\n\n"
           << "Fieldmark on the command line: create projects, import data, inspect them.\n\n"
           << "Commands:\n"
           << "  init      Create a project and its label task\n"
           << "  import    Import images, text files, JSON Lines, CSV or Ground Truth manifests\n"
           << "  status    Show a project's items and labeling progress\n"
           << "  classes   List, add or rename the classes of a label task\n"
           << "  export    Write a label task in a training format (see export --help)\n"
           << "  job       Start and follow a labeling job (see job --help)\n"
           << "  relink    Point items at a folder of media that was moved\n\n"
           << "Options:\n"
           << "  -h, --help     Show this help\n"
           << "  -v, --version  Show version information\n\n"
           << "Run '" << kProgram << " COMMAND --help' for the options of a command.\n"
           << "Exit status: 0 success, 1 partial (an import skipped some files), "
           << "2 usage or fatal error.\n";
    return exitCode;
}

int CliApp::printVersion()
{
    m_out << kProgram << ' ' << QCoreApplication::applicationVersion() << '\n'
          << "Qt " << qVersion() << '\n';
#ifdef FIELDMARK_HAVE_LEARN
    m_out << torchRuntimeDescription() << '\n';
#endif
    return Success;
}

int CliApp::parse(QCommandLineParser &parser, const QString &command, const QStringList &args,
                  const QStringList &required, qsizetype maxPositional)
{
    const QCommandLineOption helpOption({u"h"_s, u"help"_s}, u"Show this help."_s);
    parser.addOption(helpOption);
    if (!parser.parse(QStringList{command} + args))
        return usageError(parser, command, parser.errorText());
    if (parser.isSet(helpOption)) {
        m_out << helpText(parser, command);
        return Success;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() < required.size())
        return usageError(parser, command, u"missing "_s + required.at(positional.size()));
    if (maxPositional >= 0 && positional.size() > maxPositional)
        return usageError(parser, command,
                          u"unexpected argument '%1'"_s.arg(positional.at(maxPositional)));
    return -1;
}

QString CliApp::helpText(const QCommandLineParser &parser, const QString &command) const
{
    // QCommandLineParser names argv[0] in its usage line; name the subcommand too.
    QString text = parser.helpText();
    const qsizetype options = text.indexOf(" [options]"_L1);
    if (options >= 0 && options < text.indexOf(u'\n'))
        text.replace(0, options, u"Usage: "_s + kProgram + u' ' + command);
    return text;
}

int CliApp::usageError(const QCommandLineParser &parser, const QString &command,
                       const QString &message)
{
    const QString help = helpText(parser, command);
    m_err << kProgram << ' ' << command << ": " << message << '\n'
          << help.left(help.indexOf(u'\n') + 1) << "Run '" << kProgram << ' ' << command
          << " --help' for more.\n";
    return Failure;
}

int CliApp::fail(const QString &subject, const QString &reason)
{
    return fail(subject + u": "_s + reason);
}

int CliApp::fail(const QString &message)
{
    m_err << kProgram << ": " << message << '\n';
    return Failure;
}

std::unique_ptr<ProjectStore> CliApp::openProject(const QString &directory)
{
    const QFileInfo info(directory);
    if (!info.exists()) {
        fail(directory, u"no such folder"_s);
        return nullptr;
    }
    if (!info.isDir()) {
        fail(directory, u"not a folder"_s);
        return nullptr;
    }
    const QString database = QLatin1String(ProjectStore::kDatabaseFileName);
    if (!QFileInfo::exists(QDir(directory).filePath(database))) {
        fail(directory, u"not a Fieldmark project (no %1)"_s.arg(database));
        return nullptr;
    }
    Result<std::unique_ptr<ProjectStore>> store = ProjectStore::open(directory);
    if (!store) {
        fail(store.errorString()); // names the database file
        return nullptr;
    }
    return std::move(store).value();
}

Result<LabelTask> CliApp::chooseTask(const ProjectStore &store, const QString &name) const
{
    const QList<LabelTask> tasks = store.tasks();
    QStringList names;
    for (const LabelTask &task : tasks)
        names.append(task.name);
    if (!name.isEmpty()) {
        for (const LabelTask &task : tasks) {
            if (task.name == name)
                return task;
        }
        return makeError(u"no task '%1' (tasks: %2)"_s.arg(name, names.join(u", "_s)));
    }
    if (tasks.size() == 1)
        return tasks.constFirst();
    if (tasks.isEmpty())
        return makeError(u"the project has no label task"_s);
    return makeError(u"the project has %1 tasks (%2); choose one with --task"_s.arg(
        QString::number(tasks.size()), names.join(u", "_s)));
}

int CliApp::runInit(const QStringList &args)
{
    const QString command = u"init"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Create a Fieldmark project in PROJECT_DIR (created if "
                                     u"missing) with one label task."_s);
    parser.addPositionalArgument(u"PROJECT_DIR"_s, u"Folder of the new project."_s);
    const QCommandLineOption typeOption(
        u"type"_s, u"Task type, one of: %1."_s.arg(taskTypeNames().join(u", "_s)), u"TYPE"_s);
    const QCommandLineOption classesOption(
        u"classes"_s, u"Comma-separated class names, e.g. cat,dog,bird."_s, u"LIST"_s);
    const QCommandLineOption taskOption(u"task"_s, u"Name of the label task (default: default)."_s,
                                        u"NAME"_s, u"default"_s);
    parser.addOptions({typeOption, classesOption, taskOption});
    if (const int code = parse(parser, command, args, {u"PROJECT_DIR"_s}, 1); code >= 0)
        return code;

    if (!parser.isSet(typeOption))
        return usageError(parser, command,
                          u"--type is required (one of: %1)"_s.arg(taskTypeNames().join(u", "_s)));
    const Result<TaskType> type = taskTypeFromName(parser.value(typeOption));
    if (!type)
        return usageError(parser, command, u"--type: "_s + type.errorString());
    if (!parser.isSet(classesOption))
        return usageError(parser, command, u"--classes is required, e.g. --classes cat,dog"_s);
    QStringList classes;
    for (const QString &part : parser.value(classesOption).split(u',')) {
        const QString name = part.trimmed();
        if (const Result<void> valid = validateClassName(name); !valid)
            return usageError(parser, command, u"--classes: "_s + valid.errorString());
        if (classes.contains(name))
            return usageError(parser, command, u"--classes: '%1' is listed twice"_s.arg(name));
        classes.append(name);
    }
    const QString taskName = parser.value(taskOption).trimmed();
    if (taskName.isEmpty())
        return usageError(parser, command, u"--task: the name is empty"_s);

    const QString directory = parser.positionalArguments().constFirst();
    const QFileInfo info(directory);
    if (info.exists() && !info.isDir())
        return fail(directory, u"exists and is not a folder"_s);
    const QString database = QLatin1String(ProjectStore::kDatabaseFileName);
    if (QFileInfo::exists(QDir(directory).filePath(database)))
        return fail(directory, u"already a Fieldmark project (%1 exists); see it with '%2 "
                               u"status %3'"_s.arg(database, kProgram, directory));

    Result<std::unique_ptr<ProjectStore>> store = ProjectStore::create(directory);
    if (!store)
        return fail(store.errorString()); // names the folder or database file
    const Result<LabelTask> task = (*store)->addTask(taskName, *type, classes);
    if (!task) {
        store->reset();
        removeNewProject(directory, !info.exists());
        return fail(directory, u"cannot create task '%1': %2"_s.arg(taskName, task.errorString()));
    }

    m_out << "Created project " << QDir(directory).absolutePath() << '\n'
          << "  task '" << task->name << "': " << taskTypeName(task->type) << ", "
          << plural(task->classes.size(), u"class"_s, u"classes"_s) << " (" << task->classNames()
          << ")\n"
          << "Next: " << kProgram << " import " << directory << " PATH...\n";
    return Success;
}

int CliApp::runImport(const QStringList &args)
{
    const QString command = u"import"_s;
    const QStringList formats = ImportCommand::formatNames();
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Import images, text files, JSON Lines, CSV or Ground Truth manifests into a "
        u"project.\nFiles already in the project (same content) are reported as duplicates "
        u"and not added again.\nWith --format naming a training format (coco, yolo, ...), "
        u"imports its labels into a task: classes by name, images by path or content, in one "
        u"transaction.\nExit status: 0 all imported, 1 some files or labels skipped (listed "
        u"on stderr), 2 error."_s);
    parser.addPositionalArgument(u"PROJECT_DIR"_s, u"The project."_s);
    parser.addPositionalArgument(
        u"PATH"_s, u"Files or folders (folders are searched recursively)."_s, u"PATH..."_s);
    const QCommandLineOption formatOption(
        u"format"_s,
        u"auto (default), %1. auto: a folder is images, or text when it holds .txt files and "
        u"no images; .jsonl/.json/.manifest is a manifest when its first record has "
        u"source-ref, else JSON Lines; .csv is CSV."_s.arg(formats.join(u", "_s)),
        u"FORMAT"_s, u"auto"_s);
    const QCommandLineOption columnOption(
        u"column"_s, u"CSV: the column holding the text (default: text)."_s, u"NAME"_s);
    const QCommandLineOption fieldOption(
        u"field"_s, u"JSON Lines: the field holding the text (default: text, then source)."_s,
        u"NAME"_s);
    const QCommandLineOption maxPixelsOption(
        u"max-pixels"_s,
        u"Refuse images that declare more pixels (default: %1)."_s.arg(kDefaultMaxPixels), u"N"_s);
    const QCommandLineOption threadsOption(
        u"threads"_s, u"Threads probing images (default: one per core)."_s, u"N"_s);
    const QCommandLineOption verboseOption(
        u"verbose"_s,
        u"List every skipped and duplicate file, not only the first %1."_s.arg(kListLimit));
    parser.addOptions(
        {formatOption, columnOption, fieldOption, maxPixelsOption, threadsOption, verboseOption});
    const LabelImportOptions labelOptions(parser);
    if (const int code = parse(parser, command, args, {u"PROJECT_DIR"_s, u"PATH"_s}, -1); code >= 0)
        return code;

    const FormatRegistry registry = FormatRegistry::builtIn();
    std::optional<ImportCommand::Format> forced;
    if (const QString name = parser.value(formatOption); name != "auto"_L1) {
        const Format *labels = registry.find(name);
        // A training format brings labels; the names the item import shares with one (jsonl,
        // csv) bring labels when a task is named.
        if (labels && labels->capabilities().canRead &&
            (!formats.contains(name) || parser.isSet(labelOptions.task)))
            return runLabelImport(parser, labelOptions, *labels, parser.isSet(verboseOption));
        if (!formats.contains(name))
            return usageError(parser, command,
                              u"--format: unknown format '%1' (expected auto, %2; or to import "
                              u"labels: %3)"_s.arg(name, formats.join(u", "_s),
                                                   labelFormatNames(registry).join(u", "_s)));
        forced = ImportCommand::Format(formats.indexOf(name));
    }
    ImportOptions options;
    options.annotator = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    if (parser.isSet(columnOption))
        options.csvColumn = parser.value(columnOption);
    if (parser.isSet(fieldOption))
        options.jsonField = parser.value(fieldOption);
    if (parser.isSet(maxPixelsOption)) {
        const std::optional<qint64> maxPixels = positiveNumber(parser.value(maxPixelsOption));
        if (!maxPixels)
            return usageError(parser, command,
                              u"--max-pixels: expected a positive number, got '%1'"_s.arg(
                                  parser.value(maxPixelsOption)));
        options.maxPixels = *maxPixels;
    }
    if (parser.isSet(threadsOption)) {
        const std::optional<qint64> threads = positiveNumber(parser.value(threadsOption));
        if (!threads || *threads > 1024)
            return usageError(parser, command,
                              u"--threads: expected a number from 1 to 1024, got '%1'"_s.arg(
                                  parser.value(threadsOption)));
        options.threads = int(*threads);
    }

    const QStringList positional = parser.positionalArguments();
    const QString project = positional.constFirst();
    std::unique_ptr<ProjectStore> store = openProject(project);
    if (!store)
        return Failure;
    ImportCommand import(*store, options, m_out, m_err);
    if (const Result<void> planned = import.plan(positional.mid(1), forced); !planned)
        return fail(planned.errorString());
    // Progress is for a person watching a terminal; logs and pipes get the summary only.
    import.setShowProgress(FIELDMARK_ISATTY(fileno(stderr)));
    import.setListLimit(parser.isSet(verboseOption) ? -1 : kListLimit);

    QString fatal;
    const ImportSummary summary = import.run(&fatal);
    if (fatal.isEmpty() || summary.seen > 0 || !summary.problems.isEmpty())
        import.printSummary(project, summary);
    if (!fatal.isEmpty()) {
        // The importer names the file at fault; a failure of the store names nothing.
        const bool namesFile = QDir::isAbsolutePath(fatal.section(u':', 0, 0));
        return namesFile ? fail(fatal) : fail(project, fatal);
    }
    if (summary.cancelled) {
        fail(project, u"import cancelled; the items counted as added stay in the project"_s);
        return Partial;
    }
    return summary.partial() ? Partial : Success;
}

int CliApp::runStatus(const QStringList &args)
{
    const QString command = u"status"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Show a project's items by kind and, per label task, how many items are unlabeled, "
        u"labeled by a person, awaiting review, accepted, rejected or skipped."_s);
    parser.addPositionalArgument(u"PROJECT_DIR"_s, u"The project."_s);
    const QCommandLineOption jsonOption(u"json"_s, u"Print a JSON object instead of text."_s);
    parser.addOption(jsonOption);
    if (const int code = parse(parser, command, args, {u"PROJECT_DIR"_s}, 1); code >= 0)
        return code;

    const QString project = parser.positionalArguments().constFirst();
    std::unique_ptr<ProjectStore> store = openProject(project);
    if (!store)
        return Failure;

    const qint64 images = store->itemCount(ItemKind::Image);
    const qint64 texts = store->itemCount(ItemKind::Text);
    QJsonArray tasksJson;
    QString tasksText;
    QTextStream text(&tasksText);
    for (const LabelTask &task : store->tasks()) {
        const TaskStatus status = store->taskStatus(task.id);
        struct Count
        {
            QString key; // in --json
            QString label;
            qint64 value;
        };
        const QList<Count> counts{
            {u"items"_s, u"items"_s, status.items},
            {u"unlabeled"_s, u"unlabeled"_s, status.unlabeled},
            {u"human"_s, u"human"_s, status.human},
            {u"awaitingReview"_s, u"awaiting review"_s, status.awaitingReview},
            {u"accepted"_s, u"accepted"_s, status.accepted},
            {u"rejected"_s, u"rejected"_s, status.rejected},
            {u"skipped"_s, u"skipped"_s, status.skipped},
        };
        QJsonObject countsJson;
        QJsonObject perClassJson;
        text << "\nTask '" << task.name << "': " << taskTypeName(task.type) << ", "
             << plural(task.classes.size(), u"class"_s, u"classes"_s) << '\n';
        for (const Count &count : counts) {
            countsJson.insert(count.key, count.value);
            text << "  " << count.label.leftJustified(18) << count.value << '\n';
        }
        text << "  annotations per class\n";
        qsizetype width = 0;
        for (const LabelClass &labelClass : task.classes)
            width = std::max(width, labelClass.name.size());
        for (const LabelClass &labelClass : task.classes) {
            const qint64 annotations = status.annotationsPerClass.value(labelClass.id);
            perClassJson.insert(labelClass.name, annotations);
            text << "    " << labelClass.name.leftJustified(std::max<qsizetype>(width, 14)) << "  "
                 << annotations << '\n';
        }
        tasksJson.append(QJsonObject{
            {u"name"_s, task.name},
            {u"type"_s, taskTypeName(task.type)},
            {u"itemKind"_s, itemKindName(itemKindForTaskType(task.type))},
            {u"classCount"_s, task.classes.size()},
            {u"counts"_s, countsJson},
            {u"annotationsPerClass"_s, perClassJson},
        });
    }
    text.flush();

    if (parser.isSet(jsonOption)) {
        const QJsonObject root{
            {u"project"_s, QDir(project).absolutePath()},
            {u"schemaVersion"_s, store->schemaVersion()},
            {u"items"_s,
             QJsonObject{{u"total"_s, images + texts}, {u"image"_s, images}, {u"text"_s, texts}}},
            {u"tasks"_s, tasksJson},
        };
        m_out << QJsonDocument(root).toJson(QJsonDocument::Indented);
        return Success;
    }
    m_out << "Project " << QDir(project).absolutePath() << '\n'
          << "  items  " << (images + texts) << " (" << plural(images, u"image"_s, u"images"_s)
          << ", " << plural(texts, u"text"_s, u"texts"_s) << ")\n"
          << tasksText;
    return Success;
}

int CliApp::runClasses(const QStringList &args)
{
    const QString command = u"classes"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"List, add or rename the classes of a label task.\n"
        u"  list             id, name, colour, shortcut and annotation count of each class\n"
        u"  add NAME         add a class (options --color and --key)\n"
        u"  rename OLD NEW   rename a class; its annotations keep it"_s);
    parser.addPositionalArgument(u"PROJECT_DIR"_s, u"The project."_s);
    parser.addPositionalArgument(u"ACTION"_s, u"list, add NAME or rename OLD NEW."_s,
                                 u"list|add NAME|rename OLD NEW"_s);
    const QCommandLineOption taskOption(
        u"task"_s, u"The label task; needed when the project has several."_s, u"NAME"_s);
    const QCommandLineOption colorOption(u"color"_s, u"add: the colour, as #rrggbb."_s, u"COLOR"_s);
    const QCommandLineOption keyOption(
        u"key"_s, u"add: the keyboard shortcut, e.g. 4 or Shift+C."_s, u"KEY"_s);
    parser.addOptions({taskOption, colorOption, keyOption});
    if (const int code = parse(parser, command, args, {u"PROJECT_DIR"_s, u"ACTION"_s}, 4);
        code >= 0)
        return code;

    const QStringList positional = parser.positionalArguments();
    const QString action = positional.at(1);
    const qsizetype expected = action == "list"_L1     ? 2
                               : action == "add"_L1    ? 3
                               : action == "rename"_L1 ? 4
                                                       : -1;
    if (expected < 0)
        return usageError(parser, command,
                          u"unknown action '%1' (expected list, add or rename)"_s.arg(action));
    if (positional.size() != expected)
        return usageError(parser, command,
                          action == "list"_L1  ? u"list takes no arguments"_s
                          : action == "add"_L1 ? u"add takes one class name"_s
                                               : u"rename takes OLD and NEW class names"_s);
    if (action != "add"_L1 && (parser.isSet(colorOption) || parser.isSet(keyOption)))
        return usageError(parser, command, u"--color and --key go with add"_s);

    const QString project = positional.constFirst();
    std::unique_ptr<ProjectStore> store = openProject(project);
    if (!store)
        return Failure;
    const Result<LabelTask> task = chooseTask(*store, parser.value(taskOption));
    if (!task)
        return fail(project, task.errorString());

    if (action == "list"_L1)
        return listClasses(*store, *task);
    if (action == "add"_L1)
        return addClass(*store, *task, positional.at(2), parser.value(colorOption),
                        parser.value(keyOption));
    return renameClass(*store, *task, positional.at(2), positional.at(3));
}

int CliApp::listClasses(const ProjectStore &store, const LabelTask &task)
{
    const TaskStatus status = store.taskStatus(task.id);
    QList<QStringList> rows{{u"ID"_s, u"NAME"_s, u"COLOUR"_s, u"KEY"_s, u"ANNOTATIONS"_s}};
    for (const LabelClass &labelClass : task.classes)
        rows.append({QString::number(labelClass.id), labelClass.name,
                     labelClass.color.isValid() ? labelClass.color.name() : u"-"_s,
                     labelClass.shortcut.isEmpty() ? u"-"_s : labelClass.shortcut,
                     QString::number(status.annotationsPerClass.value(labelClass.id))});
    QList<qsizetype> widths(rows.constFirst().size(), 0);
    for (const QStringList &row : rows) {
        for (qsizetype column = 0; column < row.size(); ++column)
            widths[column] = std::max(widths[column], row.at(column).size());
    }
    m_out << "Task '" << task.name << "': " << taskTypeName(task.type) << '\n';
    for (const QStringList &row : rows) {
        QString line;
        for (qsizetype column = 0; column < row.size(); ++column)
            line += row.at(column).leftJustified(widths.at(column) + 2);
        m_out << line.trimmed() << '\n';
    }
    return Success;
}

int CliApp::addClass(ProjectStore &store, const LabelTask &task, const QString &name,
                     const QString &colorText, const QString &keyText)
{
    const QString project = store.directory();
    if (const Result<void> valid = validateClassName(name); !valid)
        return fail(project, valid.errorString()); // names the class
    if (task.classByName(name))
        return fail(project, u"task '%1' already has a class '%2'"_s.arg(task.name, name));
    QColor color;
    if (!colorText.isEmpty()) {
        static const QRegularExpression hexColor(u"^#[0-9A-Fa-f]{6}$"_s);
        if (!hexColor.match(colorText).hasMatch())
            return fail(project,
                        u"--color: '%1' is not a colour (expected #rrggbb)"_s.arg(colorText));
        color = QColor::fromString(colorText);
    }
    QString shortcut;
    if (!keyText.isEmpty()) {
        const QKeySequence key = QKeySequence::fromString(keyText, QKeySequence::PortableText);
        if (key.count() != 1 || key[0].key() == Qt::Key_unknown)
            return fail(project,
                        u"--key: '%1' is not a single key (e.g. 4, B or Shift+C)"_s.arg(keyText));
        shortcut = key.toString(QKeySequence::PortableText);
        for (const LabelClass &other : task.classes) {
            if (other.shortcut == shortcut)
                return fail(project, u"--key: %1 is already the key of class '%2'"_s.arg(
                                         shortcut, other.name));
        }
    }
    const Result<LabelClass> added = store.addClass(task.id, name, color, shortcut);
    if (!added)
        return fail(project, added.errorString());
    m_out << "Added class '" << added->name << "' to task '" << task.name << "' (id " << added->id
          << ", colour " << (added->color.isValid() ? added->color.name() : u"none"_s) << ", key "
          << (added->shortcut.isEmpty() ? u"none"_s : added->shortcut) << ")\n";
    return Success;
}

int CliApp::renameClass(ProjectStore &store, const LabelTask &task, const QString &oldName,
                        const QString &newName)
{
    const QString project = store.directory();
    const LabelClass *labelClass = task.classByName(oldName);
    if (!labelClass)
        return fail(project, u"task '%1' has no class '%2' (classes: %3)"_s.arg(task.name, oldName,
                                                                                task.classNames()));
    if (task.classByName(newName))
        return fail(project, u"task '%1' already has a class '%2'; a rename cannot merge two "
                             u"classes"_s.arg(task.name, newName));
    if (const Result<void> valid = validateClassName(newName); !valid)
        return fail(project, valid.errorString());
    if (const Result<void> renamed = store.renameClass(task.id, oldName, newName); !renamed)
        return fail(project, renamed.errorString());
    const qint64 annotations = store.taskStatus(task.id).annotationsPerClass.value(labelClass->id);
    m_out << "Renamed class '" << oldName << "' to '" << newName << "' in task '" << task.name
          << "' (" << plural(annotations, u"annotation"_s, u"annotations"_s) << " kept)\n";
    return Success;
}

int CliApp::runRelink(const QStringList &args)
{
    const QString command = u"relink"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"After moving a folder of media, point the project's items that were under OLD_FOLDER "
        u"at the same files under NEW_FOLDER. A file is relinked only when it is there with the "
        u"same size (and, with --verify, the same content)."_s);
    parser.addPositionalArgument(u"PROJECT_DIR"_s, u"The project."_s);
    parser.addPositionalArgument(u"OLD_FOLDER"_s, u"Where the media were."_s);
    parser.addPositionalArgument(u"NEW_FOLDER"_s, u"Where they are now."_s);
    const QCommandLineOption verifyOption(u"verify"_s,
                                          u"Also compare each file's content hash (reads it)."_s);
    parser.addOption(verifyOption);
    if (const int code =
            parse(parser, command, args, {u"PROJECT_DIR"_s, u"OLD_FOLDER"_s, u"NEW_FOLDER"_s}, 3);
        code >= 0)
        return code;
    const QStringList positional = parser.positionalArguments();
    std::unique_ptr<ProjectStore> store = openProject(positional.at(0));
    if (!store)
        return Failure;
    auto result =
        store->relinkItems(positional.at(1), positional.at(2), parser.isSet(verifyOption));
    if (!result) {
        m_err << kProgram << ": " << result.errorString() << '\n';
        return Failure;
    }
    m_out << "Relinked " << result->relinked << " item(s) to " << positional.at(2) << '\n';
    for (const ImportProblem &p : result->missing)
        m_err << p.path << ": not relinked: " << p.reason << '\n';
    for (const ImportProblem &p : result->changed)
        m_err << p.path << ": not relinked: " << p.reason << '\n';
    return result->missing.isEmpty() && result->changed.isEmpty() ? Success : Partial;
}

} // namespace fieldmark
