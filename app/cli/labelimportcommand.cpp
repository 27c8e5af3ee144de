// fieldmark-cli import --format FORMAT: a training format's labels into a label task. Plans
// first (what matches, what is missing, what is wrong), then writes in one transaction.
#include "cliapp.h"

#include "core/formats/annotationimport.h"
#include "core/formats/formatregistry.h"
#include "core/store/projectstore.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace {
constexpr qsizetype kProblemsListed = 20;
}

LabelImportOptions::LabelImportOptions(QCommandLineParser &parser)
    : task(u"task"_s, u"Labels: the task to import into; needed when the project has several."_s,
           u"NAME"_s)
    , addClasses(u"add-classes"_s,
                 u"Labels: add classes the task lacks (otherwise their labels are skipped)."_s)
    , knownItemsOnly(u"known-items-only"_s,
                     u"Labels: skip labels of images or texts the project lacks, instead of "
                     u"adding them as items."_s)
    , validPart(u"valid-part"_s,
                u"Labels: import the valid part of a file with problems (otherwise nothing is "
                u"imported)."_s)
    , annotator(u"annotator"_s,
                u"Labels: who is credited with the human labels (default: the file's name)."_s,
                u"NAME"_s)
    , dryRun(u"dry-run"_s, u"Labels: say what would be imported, and write nothing."_s)
{
    parser.addOptions({task, addClasses, knownItemsOnly, validPart, annotator, dryRun});
}

QStringList CliApp::labelFormatNames(const FormatRegistry &registry)
{
    QStringList names;
    for (const Format *format : registry.formats()) {
        if (format->capabilities().canRead)
            names.append(format->name());
    }
    return names;
}

int CliApp::runLabelImport(const QCommandLineParser &parser, const LabelImportOptions &options,
                           const Format &format, bool verbose)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2)
        return fail(u"import --format %1 takes one file or folder, not %2"_s.arg(
            format.name(), QString::number(positional.size() - 1)));
    const QString project = positional.at(0);
    const QString source = QFileInfo(positional.at(1)).absoluteFilePath();
    if (!QFileInfo::exists(source))
        return fail(positional.at(1), u"no such file or folder"_s);
    std::unique_ptr<ProjectStore> store = openProject(project);
    if (!store)
        return Failure;
    const Result<LabelTask> task = chooseTask(*store, parser.value(options.task));
    if (!task)
        return fail(project, task.errorString());

    AnnotationImportOptions importOptions;
    importOptions.taskId = task->id;
    importOptions.addMissingItems = !parser.isSet(options.knownItemsOnly);
    importOptions.addUnknownClasses = parser.isSet(options.addClasses);
    importOptions.importValidPart = parser.isSet(options.validPart);
    importOptions.annotator = parser.value(options.annotator);

    auto plan = planAnnotationImport(*store, format, source, importOptions);
    if (!plan)
        return fail(plan.errorString());

    m_out << format.displayName() << ' ' << source << " -> task '" << task->name << "'\n"
          << "  items in the file     " << plan->read.items.size() << " (" << plan->matchedItems
          << " in the project, " << plan->missingItems << " not"
          << (plan->missingItems && importOptions.addMissingItems ? ": added" : "") << ")\n"
          << "  labels to add         " << plan->annotations << '\n'
          << "  already there         " << plan->alreadyPresent << '\n'
          << "  labels skipped        " << plan->skippedAnnotations << '\n';
    if (!plan->unknownClasses.isEmpty())
        m_out << "  classes not in task   " << plan->unknownClasses.join(u", "_s)
              << (importOptions.addUnknownClasses ? " (added)"_L1
                                                  : " (their labels are skipped; --add-classes "
                                                    "adds them)"_L1)
              << '\n';
    m_out.flush();
    const qsizetype listed =
        verbose ? plan->problems.size() : std::min(plan->problems.size(), kProblemsListed);
    for (qsizetype i = 0; i < listed; ++i)
        m_err << plan->problems[i].where << ": " << plan->problems[i].reason << '\n';
    if (plan->problems.size() > listed)
        m_err << "... and " << plan->problems.size() - listed
              << " more problems (--verbose lists them all)\n";
    m_err.flush();

    if (parser.isSet(options.dryRun)) {
        m_out << "Nothing written (--dry-run).\n";
        return plan->problems.isEmpty() ? Success : Partial;
    }
    if (!plan->problems.isEmpty() && !importOptions.importValidPart) {
        m_err << kProgram << ": " << source << ": " << plan->problems.size()
              << " problem(s); nothing imported (--valid-part imports the rest)\n";
        return Failure;
    }
    auto summary = runAnnotationImport(*store, *plan, importOptions);
    if (!summary)
        return fail(project, summary.errorString());
    m_out << "Imported " << summary->annotationsAdded << " label(s)";
    if (summary->itemsAdded)
        m_out << " and " << summary->itemsAdded << " item(s)";
    if (!summary->classesAdded.isEmpty())
        m_out << ", new classes: " << summary->classesAdded.join(u", "_s);
    m_out << " into " << QDir(project).absolutePath() << '\n';
    const bool partial = summary->skippedAnnotations > 0 || !summary->problems.isEmpty();
    return partial ? Partial : Success;
}

} // namespace fieldmark
