#include "importannotationsdialog.h"

#include "core/formats/formatregistry.h"
#include "core/store/projectstore.h"
#include "ui/appinfo.h"
#include "ui/dialogs/formatfiledialog.h"
#include "ui/displaynames.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QStyle>
#include <QTableWidget>
#include <QThreadPool>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace fieldmark {

namespace {

enum ProblemColumn { WhereColumn, ReasonColumn };

// Runs on a worker thread: a store belongs to the thread that opened it.
// `formats` keeps `format` alive should the dialog go first.
AnnotationImportPlanOutcome planOnWorker(const QString &projectDirectory,
                                         const std::shared_ptr<const FormatRegistry> &formats,
                                         const Format *format, const QString &path,
                                         const AnnotationImportOptions &options, quint64 generation,
                                         std::shared_ptr<std::atomic<quint64>> wanted)
{
    Q_UNUSED(formats);
    AnnotationImportPlanOutcome outcome;
    outcome.generation = generation;
    ProjectStore::OpenOptions openOptions;
    openOptions.checkIntegrity = false; // the GUI checked it when it opened the project
    auto store = ProjectStore::open(projectDirectory, openOptions);
    if (!store) {
        outcome.error = store.errorString();
        return outcome;
    }
    // A plan the user no longer wants stops at its next item.
    const Progress progress(
        [wanted, generation](qint64, qint64) { return wanted->load() == generation; });
    auto plan = planAnnotationImport(**store, *format, path, options, progress);
    if (plan)
        outcome.plan = std::move(plan).value();
    else
        outcome.error = plan.errorString();
    return outcome;
}

QString count(qsizetype n)
{
    return QLocale().toString(n);
}

QLabel *countLabel(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

ImportAnnotationsDialog::ImportAnnotationsDialog(std::shared_ptr<const FormatRegistry> formats,
                                                 const QString &projectDirectory,
                                                 const QList<LabelTask> &tasks, QWidget *parent,
                                                 QThreadPool *pool)
    : QDialog(parent)
    , m_formats(std::move(formats))
    , m_projectDirectory(projectDirectory)
    , m_tasks(tasks)
    , m_pool(pool ? pool : QThreadPool::globalInstance())
    , m_startFolder(QDir::homePath())
    , m_wantedGeneration(std::make_shared<std::atomic<quint64>>(0))
{
    setObjectName(QStringLiteral("importAnnotationsDialog"));
    setWindowTitle(tr("Import Annotations"));

    m_formatCombo = new QComboBox(this);
    m_formatCombo->setObjectName(QStringLiteral("importFormat"));

    m_pathEdit = new QLineEdit(this);
    m_pathEdit->setObjectName(QStringLiteral("importPath"));
    m_pathEdit->setClearButtonEnabled(true);
    m_browseButton = new QPushButton(tr("&Browse\u2026"), this);
    m_browseButton->setObjectName(QStringLiteral("importBrowse"));
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_pathEdit, 1);
    pathRow->addWidget(m_browseButton);

    m_taskCombo = new QComboBox(this);
    m_taskCombo->setObjectName(QStringLiteral("importTask"));
    m_taskNote = new QLabel(this);
    m_taskNote->setObjectName(QStringLiteral("importTaskNote"));
    m_taskNote->setWordWrap(true);
    m_taskNote->hide();
    auto *taskColumn = new QVBoxLayout;
    taskColumn->setContentsMargins(0, 0, 0, 0);
    taskColumn->addWidget(m_taskCombo);
    taskColumn->addWidget(m_taskNote);

    m_addItemsCheck = new QCheckBox(tr("Add i&mages and texts the project lacks"), this);
    m_addItemsCheck->setObjectName(QStringLiteral("importAddItems"));
    m_addItemsCheck->setChecked(AnnotationImportOptions{}.addMissingItems);
    m_addItemsCheck->setToolTip(
        tr("Otherwise the labels of images and texts that are not in the project are skipped."));
    m_addClassesCheck = new QCheckBox(tr("Add &classes the task lacks"), this);
    m_addClassesCheck->setObjectName(QStringLiteral("importAddClasses"));
    m_addClassesCheck->setChecked(AnnotationImportOptions{}.addUnknownClasses);
    m_addClassesCheck->setToolTip(
        tr("Otherwise the labels of classes the task does not have are skipped."));
    m_validPartCheck = new QCheckBox(tr("Import the &valid part despite problems"), this);
    m_validPartCheck->setObjectName(QStringLiteral("importValidPart"));
    m_validPartCheck->setToolTip(tr("Records with problems are left out; the rest is imported."));
    auto *optionsColumn = new QVBoxLayout;
    optionsColumn->setContentsMargins(0, 0, 0, 0);
    optionsColumn->addWidget(m_addItemsCheck);
    optionsColumn->addWidget(m_addClassesCheck);
    optionsColumn->addWidget(m_validPartCheck);

    m_planBox = new QGroupBox(tr("What the import would do"), this);
    m_planBox->setObjectName(QStringLiteral("importPlanBox"));
    m_planLabel = countLabel(QStringLiteral("importPlanLabel"), m_planBox);
    m_countsWidget = new QWidget(m_planBox);
    m_matchedLabel = countLabel(QStringLiteral("importMatched"), m_countsWidget);
    m_missingLabel = countLabel(QStringLiteral("importMissing"), m_countsWidget);
    m_annotationsLabel = countLabel(QStringLiteral("importAnnotationCount"), m_countsWidget);
    m_skippedLabel = countLabel(QStringLiteral("importSkipped"), m_countsWidget);
    m_presentLabel = countLabel(QStringLiteral("importAlreadyPresent"), m_countsWidget);
    m_unknownLabel = countLabel(QStringLiteral("importUnknownClasses"), m_countsWidget);
    auto *counts = new QFormLayout(m_countsWidget);
    counts->setContentsMargins(0, 0, 0, 0);
    counts->addRow(tr("Items in the project:"), m_matchedLabel);
    counts->addRow(tr("Items not in the project:"), m_missingLabel);
    counts->addRow(tr("Annotations to add:"), m_annotationsLabel);
    counts->addRow(tr("Already in the task:"), m_presentLabel);
    counts->addRow(tr("Annotations skipped:"), m_skippedLabel);
    counts->addRow(tr("Classes the task lacks:"), m_unknownLabel);
    m_problemsTitle = countLabel(QStringLiteral("importProblemsTitle"), m_planBox);
    m_problemTable = new QTableWidget(0, 2, m_planBox);
    m_problemTable->setObjectName(QStringLiteral("importProblems"));
    m_problemTable->setHorizontalHeaderLabels({tr("Where"), tr("Problem")});
    m_problemTable->verticalHeader()->hide();
    m_problemTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_problemTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_problemTable->setWordWrap(false);
    m_problemTable->horizontalHeader()->setSectionResizeMode(WhereColumn, QHeaderView::Interactive);
    m_problemTable->horizontalHeader()->setStretchLastSection(true);
    auto *planLayout = new QVBoxLayout(m_planBox);
    planLayout->addWidget(m_planLabel);
    planLayout->addWidget(m_countsWidget);
    planLayout->addWidget(m_problemsTitle);
    planLayout->addWidget(m_problemTable, 1);

    m_blockLabel = new QLabel(this);
    m_blockLabel->setObjectName(QStringLiteral("importBlockReason"));
    m_blockLabel->setWordWrap(true);
    m_blockLabel->setTextFormat(Qt::PlainText);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    importButton()->setText(tr("&Import"));
    importButton()->setIcon(
        themeIcon(QStringLiteral("document-import"), QStyle::SP_DialogOpenButton));

    auto *form = new QFormLayout;
    form->addRow(tr("&Format:"), m_formatCombo);
    form->addRow(tr("&Read:"), pathRow);
    form->addRow(tr("&Task:"), taskColumn);
    form->addRow(tr("Options:"), optionsColumn);
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(pathRow)))
        label->setBuddy(m_pathEdit);
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(taskColumn)))
        label->setBuddy(m_taskCombo);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_planBox, 1);
    layout->addWidget(m_blockLabel);
    layout->addWidget(m_buttons);

    m_planTimer = new QTimer(this);
    m_planTimer->setSingleShot(true);
    // Typing a path replans once the user pauses, not at every key.
    m_planTimer->setInterval(200);
    connect(m_planTimer, &QTimer::timeout, this, &ImportAnnotationsDialog::startPlan);
    m_watcher = new QFutureWatcher<AnnotationImportPlanOutcome>(this);
    connect(m_watcher, &QFutureWatcherBase::finished, this, &ImportAnnotationsDialog::planFinished);

    connect(m_formatCombo, &QComboBox::currentIndexChanged, this,
            &ImportAnnotationsDialog::formatChanged);
    connect(m_pathEdit, &QLineEdit::textChanged, this, &ImportAnnotationsDialog::choicesChanged);
    connect(m_browseButton, &QPushButton::clicked, this, &ImportAnnotationsDialog::browse);
    connect(m_taskCombo, &QComboBox::currentIndexChanged, this,
            &ImportAnnotationsDialog::choicesChanged);
    connect(m_addItemsCheck, &QCheckBox::toggled, this, &ImportAnnotationsDialog::choicesChanged);
    connect(m_addClassesCheck, &QCheckBox::toggled, this, &ImportAnnotationsDialog::choicesChanged);
    // The plan does not depend on it: only whether Import may go ahead does.
    connect(m_validPartCheck, &QCheckBox::toggled, this,
            &ImportAnnotationsDialog::updateImportButton);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        updateImportButton();
        if (!m_blockReason.isEmpty() || !m_plan)
            return;
        Q_EMIT importRequested(*m_plan, options());
        accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    fillFormats();
    resize(640, 600);
}

ImportAnnotationsDialog::~ImportAnnotationsDialog()
{
    // A plan still running stops at its next item; its result is dropped with the watcher.
    m_wantedGeneration->store(0);
    m_watcher->disconnect(this);
}

QPushButton *ImportAnnotationsDialog::importButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

bool ImportAnnotationsDialog::setFormat(const QString &name)
{
    const int index = m_formatCombo->findData(name);
    if (index < 0)
        return false;
    m_formatCombo->setCurrentIndex(index);
    return true;
}

void ImportAnnotationsDialog::setPath(const QString &path)
{
    m_pathEdit->setText(QDir::toNativeSeparators(path));
}

void ImportAnnotationsDialog::setCurrentTask(qint64 taskId)
{
    const int index = m_taskCombo->findData(taskId);
    if (index >= 0)
        m_taskCombo->setCurrentIndex(index);
}

const Format *ImportAnnotationsDialog::format() const
{
    return m_formats->find(m_formatCombo->currentData().toString());
}

QString ImportAnnotationsDialog::path() const
{
    const QString text = m_pathEdit->text().trimmed();
    return text.isEmpty() ? QString()
                          : QFileInfo(QDir::fromNativeSeparators(text)).absoluteFilePath();
}

qint64 ImportAnnotationsDialog::taskId() const
{
    return m_taskCombo->currentData().toLongLong();
}

AnnotationImportOptions ImportAnnotationsDialog::options() const
{
    AnnotationImportOptions options;
    options.taskId = taskId();
    options.addMissingItems = m_addItemsCheck->isChecked();
    options.addUnknownClasses = m_addClassesCheck->isChecked();
    options.importValidPart = m_validPartCheck->isChecked();
    return options;
}

bool ImportAnnotationsDialog::isPlanning() const
{
    return m_planTimer->isActive() || m_watcher->isRunning() ||
           (!m_plan && m_planError.isEmpty() && format() && !path().isEmpty() && taskId() != 0);
}

void ImportAnnotationsDialog::fillFormats()
{
    const QSignalBlocker blocker(m_formatCombo);
    const QList<const Format *> formats = m_formats->formats();
    for (const Format *format : formats) {
        if (format->capabilities().canRead)
            m_formatCombo->addItem(format->displayName(), format->name());
    }
    m_formatCombo->setCurrentIndex(0);
    formatChanged();
}

void ImportAnnotationsDialog::formatChanged()
{
    const Format *current = format();
    const qint64 previousTask = taskId();
    {
        const QSignalBlocker blocker(m_taskCombo);
        m_taskCombo->clear();
        if (current) {
            const QList<TaskType> types = current->capabilities().tasks;
            for (const LabelTask &task : std::as_const(m_tasks)) {
                if (types.contains(task.type))
                    m_taskCombo->addItem(
                        tr("%1 (%2)").arg(task.name, taskTypeDisplayName(task.type)), task.id);
            }
        }
        const int keep = m_taskCombo->findData(previousTask);
        m_taskCombo->setCurrentIndex(keep >= 0 ? keep : 0);
    }
    const bool none = m_taskCombo->count() == 0;
    m_taskCombo->setEnabled(!none);
    m_taskNote->setVisible(none);
    if (none && current) {
        QStringList types;
        for (const TaskType type : current->capabilities().tasks)
            types.append(taskTypeDisplayName(type));
        m_taskNote->setText(tr("%1 carries labels for these task types: %2. The project has no "
                               "task of these types.")
                                .arg(current->displayName(), types.join(QStringLiteral(", "))));
    }
    const bool folder = current && current->capabilities().writesFolder;
    m_pathEdit->setPlaceholderText(folder ? tr("The folder to read") : tr("The file to read"));
    choicesChanged();
}

void ImportAnnotationsDialog::choicesChanged()
{
    ++m_generation;
    m_wantedGeneration->store(m_generation);
    m_plan.reset();
    m_planError.clear();
    m_planTimer->start();
    showPlan();
    updateImportButton();
}

void ImportAnnotationsDialog::startPlan()
{
    if (m_watcher->isRunning())
        return; // planFinished() starts the next one
    const Format *current = format();
    const QString file = path();
    if (!current || file.isEmpty() || taskId() == 0) {
        showPlan();
        updateImportButton();
        return;
    }
    m_watcher->setFuture(QtConcurrent::run(m_pool, &planOnWorker, m_projectDirectory, m_formats,
                                           current, file, options(), m_generation,
                                           m_wantedGeneration));
}

void ImportAnnotationsDialog::planFinished()
{
    const AnnotationImportPlanOutcome outcome =
        m_watcher->future().resultCount() > 0 ? m_watcher->result() : AnnotationImportPlanOutcome{};
    if (outcome.generation != m_generation) {
        // The user changed something meanwhile: this plan answers an old question.
        if (!m_planTimer->isActive())
            startPlan();
        return;
    }
    m_plan = outcome.plan;
    m_planError = outcome.error;
    if (!m_plan && m_planError.isEmpty())
        m_planError = tr("The plan did not come back.");
    showPlan();
    updateImportButton();
    Q_EMIT planChanged();
}

QString ImportAnnotationsDialog::shortWhere(const QString &where) const
{
    // "/long/path/to/data/coco.json: annotations[3].bbox" reads as "coco.json: ...": the
    // folder is in the field above.
    const QFileInfo info(path());
    const Format *current = format();
    const QString folder = current && current->capabilities().writesFolder ? info.absoluteFilePath()
                                                                           : info.absolutePath();
    const QString prefix = folder.endsWith(QLatin1Char('/')) ? folder : folder + QLatin1Char('/');
    return where.startsWith(prefix) ? where.mid(prefix.size()) : where;
}

void ImportAnnotationsDialog::showPlan()
{
    const bool ready = m_plan.has_value();
    m_countsWidget->setVisible(ready);
    m_problemsTitle->setVisible(ready);
    m_problemTable->setVisible(ready && !m_plan->problems.isEmpty());
    if (!format()) {
        m_planLabel->setText(tr("No format can read annotations."));
        return;
    }
    if (path().isEmpty()) {
        m_planLabel->setText(tr("Choose the file or folder to read."));
        return;
    }
    if (taskId() == 0) {
        m_planLabel->setText(tr("Choose a task for the labels."));
        return;
    }
    if (!m_planError.isEmpty()) {
        m_planLabel->setText(tr("This file cannot be imported: %1").arg(m_planError));
        return;
    }
    if (!ready) {
        m_planLabel->setText(
            tr("Reading %1\u2026").arg(QDir::toNativeSeparators(QFileInfo(path()).fileName())));
        return;
    }

    const AnnotationImportPlan &plan = *m_plan;
    const AnnotationImportOptions chosen = options();
    m_planLabel->setText(tr("%1 items read from %2.")
                             .arg(count(plan.read.items.size()),
                                  QDir::toNativeSeparators(QFileInfo(path()).fileName())));
    m_matchedLabel->setText(count(plan.matchedItems));
    m_missingLabel->setText(
        plan.missingItems == 0 ? count(0)
        : chosen.addMissingItems
            ? tr("%1 (added to the project)").arg(count(plan.missingItems))
            : tr("%1 (their labels are skipped)").arg(count(plan.missingItems)));
    m_annotationsLabel->setText(count(plan.annotations));
    m_presentLabel->setText(count(plan.alreadyPresent));
    m_skippedLabel->setText(count(plan.skippedAnnotations));
    m_unknownLabel->setText(plan.unknownClasses.isEmpty()
                                ? tr("none")
                                : (chosen.addUnknownClasses ? tr("%1 (added to the task)")
                                                            : tr("%1 (their labels are skipped)"))
                                      .arg(plan.unknownClasses.join(QStringLiteral(", "))));

    m_problemsTitle->setText(plan.problems.isEmpty() ? tr("No problems found in the file.")
                             : plan.problems.size() == 1
                                 ? tr("1 problem:")
                                 : tr("%1 problems:").arg(count(plan.problems.size())));
    m_problemTable->setRowCount(int(plan.problems.size()));
    for (int row = 0; row < plan.problems.size(); ++row) {
        const FormatProblem &problem = plan.problems.at(row);
        auto *where = new QTableWidgetItem(shortWhere(problem.where));
        where->setToolTip(QDir::toNativeSeparators(problem.where));
        auto *reason = new QTableWidgetItem(problem.reason);
        reason->setToolTip(problem.reason);
        m_problemTable->setItem(row, WhereColumn, where);
        m_problemTable->setItem(row, ReasonColumn, reason);
    }
    m_problemTable->resizeColumnToContents(WhereColumn);
    // A long JSON path must not push the reasons out of sight.
    m_problemTable->setColumnWidth(WhereColumn, std::min(m_problemTable->columnWidth(WhereColumn),
                                                         m_problemTable->viewport()->width() / 2));
}

void ImportAnnotationsDialog::updateImportButton()
{
    QString shown; // a reason the user has to act on, shown under the plan
    QString reason;
    if (!format() || path().isEmpty() || taskId() == 0) {
        reason = tr("Choose a format, a file and a task.");
    } else if (!m_planError.isEmpty()) {
        reason = tr("The file cannot be imported (see above).");
    } else if (!m_plan) {
        reason = tr("Reading the file.");
    } else if (!m_plan->problems.isEmpty() && !m_validPartCheck->isChecked()) {
        reason = shown = tr("The file has problems. Fix them, or tick \u201cImport the valid part "
                            "despite problems\u201d to leave those records out.");
    } else if (m_plan->annotations == 0 &&
               (m_plan->missingItems == 0 || !m_addItemsCheck->isChecked())) {
        reason = shown = tr("There is nothing to import.");
    }
    m_blockReason = reason;
    m_blockLabel->setText(shown);
    m_blockLabel->setVisible(!shown.isEmpty());
    importButton()->setEnabled(reason.isEmpty());
    importButton()->setToolTip(reason);
}

void ImportAnnotationsDialog::browse()
{
    const Format *current = format();
    if (!current)
        return;
    const QString start = path().isEmpty() ? m_startFolder : path();
    const QString chosen =
        chooseFormatPath(this, *current, FormatFileMode::Read,
                         current->capabilities().writesFolder
                             ? tr("Folder of %1 Annotations").arg(current->displayName())
                             : tr("Read %1 Annotations").arg(current->displayName()),
                         start);
    if (!chosen.isEmpty())
        setPath(chosen);
}

} // namespace fieldmark
