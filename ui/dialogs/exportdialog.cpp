#include "exportdialog.h"

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
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStyle>
#include <QThreadPool>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace fieldmark {

namespace {

// Runs on a worker thread: a store belongs to the thread that opened it.
// `formats` keeps `format` alive should the dialog go first.
ExportPlanOutcome planOnWorker(const QString &projectDirectory,
                               const std::shared_ptr<const FormatRegistry> &formats,
                               const Format *format, const QString &output,
                               const ExportOptions &options, quint64 generation)
{
    Q_UNUSED(formats);
    ExportPlanOutcome outcome;
    outcome.generation = generation;
    ProjectStore::OpenOptions openOptions;
    openOptions.checkIntegrity = false; // the GUI checked it when it opened the project
    auto store = ProjectStore::open(projectDirectory, openOptions);
    if (!store) {
        outcome.error = store.errorString();
        return outcome;
    }
    auto plan = planExport(**store, *format, output, options);
    if (plan)
        outcome.plan = std::move(plan).value();
    else
        outcome.error = plan.errorString();
    return outcome;
}

// "images.json" from "COCO JSON (*.json)": the suffix a suggested file name gets.
QString suffixFromFilter(const QString &filter)
{
    static const QRegularExpression pattern(QStringLiteral("\\*(\\.[A-Za-z0-9]+)"));
    const QRegularExpressionMatch match = pattern.match(filter);
    return match.hasMatch() ? match.captured(1) : QString();
}

QString safeFileName(const QString &name)
{
    QString safe;
    for (const QChar c : name)
        safe.append(c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_')
                        ? c
                        : QLatin1Char('_'));
    return safe.isEmpty() ? QStringLiteral("export") : safe;
}

QString counted(qsizetype n, const QString &one, const QString &many)
{
    // Spelled out: without a translation loaded, tr()'s %n forms read "item(s)".
    return n == 1 ? one : many.arg(QLocale().toString(n));
}

QString subsetDisplayName(const QString &name)
{
    if (name == QLatin1String("train"))
        return ExportDialog::tr("train");
    if (name == QLatin1String("val"))
        return ExportDialog::tr("validation");
    if (name == QLatin1String("test"))
        return ExportDialog::tr("test");
    return name;
}

} // namespace

ExportDialog::ExportDialog(std::shared_ptr<const FormatRegistry> formats,
                           const QString &projectDirectory, const QList<LabelTask> &tasks,
                           QWidget *parent, QThreadPool *pool)
    : QDialog(parent)
    , m_formats(std::move(formats))
    , m_projectDirectory(projectDirectory)
    , m_tasks(tasks)
    , m_pool(pool ? pool : QThreadPool::globalInstance())
    , m_defaultFolder(QFileInfo(projectDirectory).absolutePath())
{
    setObjectName(QStringLiteral("exportDialog"));
    setWindowTitle(tr("Export Annotations"));

    m_taskCombo = new QComboBox(this);
    m_taskCombo->setObjectName(QStringLiteral("exportTask"));
    for (const LabelTask &task : std::as_const(m_tasks)) {
        m_taskCombo->addItem(tr("%1 (%2)").arg(task.name, taskTypeDisplayName(task.type)), task.id);
    }

    m_formatCombo = new QComboBox(this);
    m_formatCombo->setObjectName(QStringLiteral("exportFormat"));
    m_formatNote = new QLabel(this);
    m_formatNote->setObjectName(QStringLiteral("exportFormatNote"));
    m_formatNote->setWordWrap(true);
    m_formatNote->hide();
    auto *formatColumn = new QVBoxLayout;
    formatColumn->setContentsMargins(0, 0, 0, 0);
    formatColumn->addWidget(m_formatCombo);
    formatColumn->addWidget(m_formatNote);

    m_outputEdit = new QLineEdit(this);
    m_outputEdit->setObjectName(QStringLiteral("exportOutput"));
    m_outputEdit->setClearButtonEnabled(true);
    m_browseButton = new QPushButton(tr("&Browse\u2026"), this);
    m_browseButton->setObjectName(QStringLiteral("exportBrowse"));
    auto *outputRow = new QHBoxLayout;
    outputRow->addWidget(m_outputEdit, 1);
    outputRow->addWidget(m_browseButton);

    m_labelsCombo = new QComboBox(this);
    m_labelsCombo->setObjectName(QStringLiteral("exportLabels"));
    for (const ExportLabels labels :
         {ExportLabels::Reviewed, ExportLabels::HumanOnly, ExportLabels::All})
        m_labelsCombo->addItem(exportLabelsDisplayName(labels), int(labels));
    m_labelsCombo->setToolTip(tr("Rejected machine labels never leave the project."));

    m_splitCheck = new QCheckBox(tr("&Split into train, validation and test sets"), this);
    m_splitCheck->setObjectName(QStringLiteral("exportSplit"));
    m_splitCheck->setToolTip(tr("The same seed over the same items always gives the same sets, "
                                "whatever order the items were added in."));
    auto percentSpin = [this](const QString &name, int value) {
        auto *spin = new QSpinBox(this);
        spin->setObjectName(name);
        spin->setRange(0, 95);
        spin->setValue(value);
        spin->setSuffix(QStringLiteral(" %"));
        return spin;
    };
    m_validationSpin = percentSpin(QStringLiteral("exportValidation"), 10);
    m_testSpin = percentSpin(QStringLiteral("exportTest"), 10);
    m_seedSpin = new QSpinBox(this);
    m_seedSpin->setObjectName(QStringLiteral("exportSeed"));
    m_seedSpin->setRange(0, std::numeric_limits<int>::max());
    m_splitRow = new QWidget(this);
    auto *splitLayout = new QHBoxLayout(m_splitRow);
    splitLayout->setContentsMargins(0, 0, 0, 0);
    auto addSpin = [this, splitLayout](const QString &text, QSpinBox *spin) {
        auto *label = new QLabel(text, m_splitRow);
        label->setBuddy(spin);
        splitLayout->addWidget(label);
        splitLayout->addWidget(spin);
    };
    addSpin(tr("&Validation:"), m_validationSpin);
    addSpin(tr("T&est:"), m_testSpin);
    addSpin(tr("See&d:"), m_seedSpin);
    splitLayout->addStretch(1);
    m_splitRow->setEnabled(false);
    auto *splitColumn = new QVBoxLayout;
    splitColumn->setContentsMargins(0, 0, 0, 0);
    splitColumn->addWidget(m_splitCheck);
    splitColumn->addWidget(m_splitRow);

    m_mediaCombo = new QComboBox(this);
    m_mediaCombo->setObjectName(QStringLiteral("exportMedia"));
    for (const ExportMedia media : {ExportMedia::Reference, ExportMedia::Copy, ExportMedia::Link}) {
        m_mediaCombo->addItem(exportMediaDisplayName(media), int(media));
        m_mediaCombo->setItemData(m_mediaCombo->count() - 1, exportMediaDescription(media),
                                  Qt::ToolTipRole);
    }

    m_lossBox = new QGroupBox(this);
    m_lossBox->setObjectName(QStringLiteral("exportLossBox"));
    m_planLabel = new QLabel(m_lossBox);
    m_planLabel->setObjectName(QStringLiteral("exportPlanLabel"));
    m_planLabel->setWordWrap(true);
    m_planLabel->setTextFormat(Qt::PlainText);
    m_planLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_lossList = new QListWidget(m_lossBox);
    m_lossList->setObjectName(QStringLiteral("exportLossList"));
    m_lossList->setWordWrap(true);
    m_lossList->setSelectionMode(QAbstractItemView::NoSelection);
    m_lossList->setFocusPolicy(Qt::NoFocus);
    m_confirmCheck = new QCheckBox(tr("I &understand what will be lost"), m_lossBox);
    m_confirmCheck->setObjectName(QStringLiteral("exportConfirmLoss"));
    QSizePolicy keepSpace = m_confirmCheck->sizePolicy();
    keepSpace.setRetainSizeWhenHidden(true);
    m_confirmCheck->setSizePolicy(keepSpace);
    m_confirmCheck->hide();
    auto *lossLayout = new QVBoxLayout(m_lossBox);
    lossLayout->addWidget(m_planLabel);
    lossLayout->addWidget(m_lossList, 1);
    lossLayout->addWidget(m_confirmCheck);

    m_blockLabel = new QLabel(this);
    m_blockLabel->setObjectName(QStringLiteral("exportBlockReason"));
    m_blockLabel->setWordWrap(true);
    m_blockLabel->setTextFormat(Qt::PlainText);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    exportButton()->setText(tr("E&xport")); // Alt+E is the Test share
    exportButton()->setIcon(
        themeIcon(QStringLiteral("document-export"), QStyle::SP_DialogSaveButton));

    m_form = new QFormLayout;
    m_form->addRow(tr("&Task:"), m_taskCombo);
    m_form->addRow(tr("&Format:"), formatColumn);
    m_form->addRow(tr("&Output:"), outputRow);
    m_form->addRow(tr("&Labels:"), m_labelsCombo);
    m_form->addRow(tr("Split:"), splitColumn);
    m_form->addRow(tr("&Images:"), m_mediaCombo);
    if (auto *label = qobject_cast<QLabel *>(m_form->labelForField(formatColumn)))
        label->setBuddy(m_formatCombo);
    if (auto *label = qobject_cast<QLabel *>(m_form->labelForField(outputRow)))
        label->setBuddy(m_outputEdit);
    // One task needs no choice.
    m_form->setRowVisible(m_taskCombo, m_tasks.size() > 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addWidget(m_lossBox, 1);
    layout->addWidget(m_blockLabel);
    layout->addWidget(m_buttons);

    m_planTimer = new QTimer(this);
    m_planTimer->setSingleShot(true);
    // Typing a path replans once the user pauses, not at every key.
    m_planTimer->setInterval(200);
    connect(m_planTimer, &QTimer::timeout, this, &ExportDialog::startPlan);
    m_watcher = new QFutureWatcher<ExportPlanOutcome>(this);
    connect(m_watcher, &QFutureWatcherBase::finished, this, &ExportDialog::planFinished);

    connect(m_taskCombo, &QComboBox::currentIndexChanged, this, &ExportDialog::fillFormats);
    connect(m_formatCombo, &QComboBox::currentIndexChanged, this, &ExportDialog::formatChanged);
    connect(m_outputEdit, &QLineEdit::textEdited, this, [this] { m_outputChosen = true; });
    connect(m_outputEdit, &QLineEdit::textChanged, this, &ExportDialog::choicesChanged);
    connect(m_browseButton, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_labelsCombo, &QComboBox::currentIndexChanged, this, &ExportDialog::choicesChanged);
    connect(m_splitCheck, &QCheckBox::toggled, this, [this](bool on) {
        m_splitRow->setEnabled(on);
        choicesChanged();
    });
    for (QSpinBox *spin : {m_validationSpin, m_testSpin, m_seedSpin})
        connect(spin, &QSpinBox::valueChanged, this, &ExportDialog::choicesChanged);
    connect(m_mediaCombo, &QComboBox::currentIndexChanged, this, &ExportDialog::choicesChanged);
    connect(m_confirmCheck, &QCheckBox::toggled, this, &ExportDialog::updateExportButton);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        updateExportButton();
        if (!m_blockReason.isEmpty() || !m_plan)
            return;
        Q_EMIT exportRequested(*m_plan);
        accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    fillFormats();
    resize(600, 540);
}

ExportDialog::~ExportDialog()
{
    // A plan still on its way finishes on its own thread and is dropped with the watcher.
    m_watcher->disconnect(this);
}

QPushButton *ExportDialog::exportButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

void ExportDialog::setCurrentTask(qint64 taskId)
{
    const int index = m_taskCombo->findData(taskId);
    if (index >= 0)
        m_taskCombo->setCurrentIndex(index);
}

bool ExportDialog::setFormat(const QString &name)
{
    const int index = m_formatCombo->findData(name);
    if (index < 0)
        return false;
    m_formatCombo->setCurrentIndex(index);
    return true;
}

void ExportDialog::setOutput(const QString &path)
{
    m_outputChosen = !path.isEmpty();
    m_outputEdit->setText(QDir::toNativeSeparators(path));
}

void ExportDialog::setDefaultFolder(const QString &folder)
{
    if (folder.isEmpty())
        return;
    m_defaultFolder = folder;
    if (!m_outputChosen)
        suggestOutput();
}

qint64 ExportDialog::taskId() const
{
    return m_taskCombo->currentData().toLongLong();
}

const Format *ExportDialog::format() const
{
    return m_formats->find(m_formatCombo->currentData().toString());
}

QString ExportDialog::output() const
{
    const QString text = m_outputEdit->text().trimmed();
    return text.isEmpty() ? QString() : QDir::cleanPath(QDir::fromNativeSeparators(text));
}

ExportOptions ExportDialog::options() const
{
    ExportOptions options;
    options.taskId = taskId();
    options.labels = ExportLabels(m_labelsCombo->currentData().toInt());
    if (m_splitCheck->isChecked()) {
        options.validationShare = m_validationSpin->value() / 100.0;
        options.testShare = m_testSpin->value() / 100.0;
        options.seed = quint64(m_seedSpin->value());
    }
    options.media = ExportMedia(m_mediaCombo->currentData().toInt());
    return options;
}

bool ExportDialog::isPlanning() const
{
    return m_planTimer->isActive() || m_watcher->isRunning() ||
           (!m_plan && m_planError.isEmpty() && format() && !output().isEmpty());
}

void ExportDialog::fillFormats()
{
    const QString previous = m_formatCombo->currentData().toString();
    const int taskIndex = m_taskCombo->currentIndex();
    const LabelTask *task = taskIndex >= 0 ? &m_tasks.at(taskIndex) : nullptr;
    {
        const QSignalBlocker blocker(m_formatCombo);
        m_formatCombo->clear();
        if (task) {
            const QList<const Format *> formats = m_formats->formats();
            for (const Format *format : formats) {
                const FormatCapabilities capabilities = format->capabilities();
                if (capabilities.canWrite && capabilities.tasks.contains(task->type))
                    m_formatCombo->addItem(format->displayName(), format->name());
            }
        }
        const int keep = m_formatCombo->findData(previous);
        m_formatCombo->setCurrentIndex(keep >= 0 ? keep : 0);
    }
    const bool none = m_formatCombo->count() == 0;
    m_formatCombo->setEnabled(!none);
    m_formatNote->setVisible(none);
    if (none) {
        m_formatNote->setText(task ? tr("No format can write a task of type \u201c%1\u201d yet.")
                                         .arg(taskTypeDisplayName(task->type))
                                   : tr("The project has no task to export."));
    }
    formatChanged();
}

void ExportDialog::formatChanged()
{
    const Format *current = format();
    const bool folder = current && current->capabilities().writesFolder;
    if (m_outputChosen && folder != m_lastFormatWroteFolder) {
        // A file name makes no sense as a folder, nor the reverse: suggest one in the same place.
        // (The parent of a chosen folder, the folder of a chosen file.)
        m_defaultFolder = QFileInfo(output()).absolutePath();
        m_outputChosen = false;
    }
    m_lastFormatWroteFolder = folder;
    m_outputEdit->setPlaceholderText(
        folder ? tr("A folder for the %1 files").arg(current ? current->displayName() : QString())
               : tr("The file to write"));
    m_lossBox->setTitle(current ? tr("What %1 would lose").arg(current->displayName())
                                : tr("What the export would lose"));
    if (!m_outputChosen)
        suggestOutput();
    choicesChanged();
}

void ExportDialog::suggestOutput()
{
    const Format *current = format();
    const int taskIndex = m_taskCombo->currentIndex();
    if (!current || taskIndex < 0)
        return;
    QString name = safeFileName(m_tasks.at(taskIndex).name) + QLatin1Char('-') + current->name();
    if (!current->capabilities().writesFolder)
        name += suffixFromFilter(current->fileFilter());
    const QSignalBlocker blocker(m_outputEdit);
    m_outputEdit->setText(QDir::toNativeSeparators(QDir(m_defaultFolder).filePath(name)));
    choicesChanged();
}

void ExportDialog::choicesChanged()
{
    ++m_generation;
    m_plan.reset();
    m_planError.clear();
    m_planTimer->start();
    showPlan();
    updateExportButton();
}

void ExportDialog::startPlan()
{
    if (m_watcher->isRunning())
        return; // planFinished() starts the next one
    const Format *current = format();
    const QString path = output();
    if (!current || path.isEmpty() || m_taskCombo->currentIndex() < 0) {
        showPlan();
        updateExportButton();
        return;
    }
    m_watcher->setFuture(QtConcurrent::run(m_pool, &planOnWorker, m_projectDirectory, m_formats,
                                           current, path, options(), m_generation));
}

void ExportDialog::planFinished()
{
    const ExportPlanOutcome outcome =
        m_watcher->future().resultCount() > 0 ? m_watcher->result() : ExportPlanOutcome{};
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
    updateExportButton();
    Q_EMIT planChanged();
}

void ExportDialog::showPlan()
{
    m_lossList->clear();
    const Format *current = format();
    if (!current) {
        m_planLabel->setText(tr("Choose a format."));
        m_lossList->hide();
        m_confirmCheck->hide();
        return;
    }
    if (output().isEmpty()) {
        m_planLabel->setText(tr("Choose where to write the export to see what it would hold."));
        m_lossList->hide();
        m_confirmCheck->hide();
        return;
    }
    if (!m_planError.isEmpty()) {
        m_planLabel->setText(tr("This export cannot be planned: %1").arg(m_planError));
        m_lossList->hide();
        m_confirmCheck->hide();
        return;
    }
    if (!m_plan) {
        m_planLabel->setText(tr("Working out what the export holds\u2026"));
        m_lossList->setEnabled(false);
        m_confirmCheck->setEnabled(false);
        return;
    }
    m_lossList->setEnabled(true);
    m_confirmCheck->setEnabled(true);
    m_lossList->show();

    QString text =
        tr("%1 with %2.")
            .arg(counted(m_plan->itemCount, tr("1 item"), tr("%1 items")),
                 counted(m_plan->annotationCount, tr("1 annotation"), tr("%1 annotations")));
    if (m_plan->subsets.size() > 1) {
        QStringList sets;
        for (const ExportSubset &subset : m_plan->subsets)
            sets.append(tr("%1 %2").arg(subsetDisplayName(subset.name),
                                        QLocale().toString(subset.data.items.size())));
        text += QLatin1Char(' ') + tr("Items per set: %1.").arg(sets.join(QStringLiteral(", ")));
    }
    m_planLabel->setText(text);

    const QStringList losses = m_plan->loss.losses;
    if (losses.isEmpty()) {
        auto *item = new QListWidgetItem(
            themeIcon(QStringLiteral("dialog-ok"), QStyle::SP_DialogApplyButton),
            tr("Nothing is lost: %1 keeps every label of this export.")
                .arg(current->displayName()));
        m_lossList->addItem(item);
    }
    for (const QString &loss : losses) {
        auto *item = new QListWidgetItem(
            themeIcon(QStringLiteral("dialog-warning"), QStyle::SP_MessageBoxWarning), loss);
        item->setToolTip(loss);
        m_lossList->addItem(item);
    }
    for (const QString &note : std::as_const(m_plan->notes)) {
        auto *item = new QListWidgetItem(
            themeIcon(QStringLiteral("dialog-information"), QStyle::SP_MessageBoxInformation),
            note);
        item->setToolTip(note);
        m_lossList->addItem(item);
    }
    if (losses != m_shownLosses) {
        // The user agreed to other losses than these.
        const QSignalBlocker blocker(m_confirmCheck);
        m_confirmCheck->setChecked(false);
        m_shownLosses = losses;
    }
    m_confirmCheck->setVisible(!losses.isEmpty());
}

QString ExportDialog::outputProblem() const
{
    const Format *current = format();
    if (!current)
        return m_formatCombo->count() == 0 ? m_formatNote->text() : tr("Choose a format.");
    const QString path = output();
    if (path.isEmpty())
        return tr("Choose where to write the export.");
    const QFileInfo info(path);
    const bool folder = current->capabilities().writesFolder;
    if (folder && info.exists() && !info.isDir())
        return tr("%1 is a file; %2 writes a folder.")
            .arg(QDir::toNativeSeparators(path), current->displayName());
    if (!folder && info.isDir())
        return tr("%1 is a folder; choose a file name.").arg(QDir::toNativeSeparators(path));
    if (m_splitCheck->isChecked() && m_validationSpin->value() + m_testSpin->value() >= 100)
        return tr("The validation and test sets take every item; leave some to train on.");
    return {};
}

void ExportDialog::updateExportButton()
{
    QString reason = outputProblem();
    if (reason.isEmpty() && !m_planError.isEmpty())
        reason = tr("The export cannot be planned (see above).");
    m_blockLabel->setText(reason);
    m_blockLabel->setVisible(!reason.isEmpty());
    if (reason.isEmpty() && !m_plan)
        reason = tr("Working out what the export holds.");
    if (reason.isEmpty() && !m_plan->loss.isEmpty() && !m_confirmCheck->isChecked())
        reason = tr("Tick \u201cI understand what will be lost\u201d to export.");
    m_blockReason = reason;
    exportButton()->setEnabled(reason.isEmpty());
    exportButton()->setToolTip(reason);
}

void ExportDialog::browse()
{
    const Format *current = format();
    if (!current)
        return;
    const QString start = output().isEmpty() ? m_defaultFolder : output();
    const QString chosen =
        chooseFormatPath(this, *current, FormatFileMode::Write,
                         current->capabilities().writesFolder
                             ? tr("Folder for the %1 Export").arg(current->displayName())
                             : tr("Export as %1").arg(current->displayName()),
                         start);
    if (!chosen.isEmpty())
        setOutput(chosen);
}

} // namespace fieldmark
