#include "labelingjobpanel.h"

#include "jobsettingsdialog.h"
#include "labelingjobcontroller.h"

#include "core/store/projectstore.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

#ifdef FIELDMARK_HAVE_CHARTS
#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QValueAxis>
#endif

namespace fieldmark {

LabelingJobPanel::LabelingJobPanel(LabelingJobController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("jobTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setWordWrap(true);
    m_phase = new QLabel(this);
    m_phase->setObjectName(QStringLiteral("jobPhase"));
    m_phase->setWordWrap(true);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("jobProgress"));
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("jobError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette warning = m_error->palette();
    warning.setColor(QPalette::WindowText, QColor(0xb0, 0x20, 0x20));
    m_error->setPalette(warning);

    m_start = new QPushButton(tr("&Start\u2026"), this);
    m_start->setObjectName(QStringLiteral("jobStart"));
    m_start->setToolTip(tr("Start a labeling job on the current task"));
    m_pause = new QPushButton(tr("&Pause"), this);
    m_pause->setObjectName(QStringLiteral("jobPause"));
    m_pause->setToolTip(tr("Stop training after this session's labels; a running training is "
                           "cancelled"));
    m_resume = new QPushButton(tr("&Resume"), this);
    m_resume->setObjectName(QStringLiteral("jobResume"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_pause);
    buttons->addWidget(m_resume);
    buttons->addStretch();

    m_history = new QTableWidget(0, ColumnCount, this);
    m_history->setObjectName(QStringLiteral("jobHistory"));
    m_history->setHorizontalHeaderLabels({tr("#"), tr("Human"), tr("Machine"), tr("Left"),
                                          tr("Val. acc."), tr("Threshold"), tr("Seconds")});
    m_history->horizontalHeaderItem(AccuracyColumn)
        ->setToolTip(tr("Accuracy of the model on the human-labeled validation set"));
    m_history->horizontalHeaderItem(ThresholdColumn)
        ->setToolTip(tr("The lowest confidence a machine label needed (per class, the lowest)"));
    m_history->horizontalHeaderItem(SecondsColumn)->setToolTip(tr("Training and inference"));
    m_history->verticalHeader()->hide();
    m_history->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_history->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_history->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_history->verticalHeader()->setDefaultSectionSize(m_history->fontMetrics().height() + 8);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_phase);
    layout->addWidget(m_progress);
    layout->addWidget(m_error);
    layout->addLayout(buttons);
    layout->addWidget(m_history, 1);

#ifdef FIELDMARK_HAVE_CHARTS
    auto *chart = new QChart;
    chart->setTitle(tr("Labels per iteration"));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(2, 2, 2, 2));
    auto *view = new QChartView(chart, this);
    view->setObjectName(QStringLiteral("jobChart"));
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(180);
    m_chart = view;
    layout->addWidget(m_chart, 1);
#endif

    connect(m_start, &QPushButton::clicked, this, &LabelingJobPanel::startWithDialog);
    connect(m_pause, &QPushButton::clicked, m_controller, &LabelingJobController::pause);
    connect(m_resume, &QPushButton::clicked, m_controller, &LabelingJobController::resume);
    connect(m_controller, &LabelingJobController::stateChanged, this, &LabelingJobPanel::refresh);
    connect(m_controller, &LabelingJobController::iterationApplied, this,
            &LabelingJobPanel::fillHistory);
    connect(m_controller, &LabelingJobController::progressChanged, this,
            &LabelingJobPanel::showProgress);
    refresh();
    fillHistory();
}

bool LabelingJobPanel::hasChart() const
{
    return m_chart != nullptr;
}

bool LabelingJobPanel::startWithDialog()
{
    ProjectStore *store = m_controller->store();
    if (!store)
        return false;
    const QString suggested = tr("Job %1").arg(store->jobs().size() + 1);
    JobSettingsDialog dialog(store->tasks(), m_currentTaskId, suggested, this);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    const Result<void> started = m_controller->start(dialog.taskId(), dialog.name(),
                                                     dialog.settings(), dialog.warmStartProject());
    if (!started) {
        QMessageBox::warning(
            this, tr("Start Labeling Job"),
            tr("The labeling job was not started.\n\n%1").arg(started.errorString()));
        return false;
    }
    fillHistory();
    return true;
}

void LabelingJobPanel::refresh()
{
    const LabelingJob *job = m_controller->job();
    const bool open = m_controller->store() != nullptr;
    const bool done = job && job->isDone();
    if (!open) {
        m_title->setText(tr("No project open"));
        m_phase->setText(tr("Open a project to run a labeling job."));
    } else if (!job) {
        m_title->setText(tr("No labeling job"));
        m_phase->setText(tr("Start one: people label a validation set and small batches, and "
                            "after each batch a model labels the items it is sure of."));
    } else {
        m_title->setText(tr("%1 \u00b7 %2 policy").arg(job->record().name, job->record().policy));
        const qsizetype waiting = m_controller->waiting();
        if (m_controller->isTraining())
            m_phase->setText(tr("Training\u2026 (keep labeling: the model works in the "
                                "background)"));
        else if (done)
            m_phase->setText(tr("Done: nothing is left for people to label. Review the machine "
                                "labels in the \u201cAwaiting review\u201d filter."));
        else if (m_controller->isPaused())
            m_phase->setText(waiting > 0
                                 ? tr("Paused; %n item(s) still to label.", nullptr, int(waiting))
                                 : tr("Paused; ready to train."));
        else if (waiting > 0)
            m_phase->setText(
                tr("Label %n more item(s); then a model trains.", nullptr, int(waiting)));
        else
            m_phase->setText(tr("Ready to train."));
    }
    m_progress->setVisible(m_controller->isTraining());
    if (!m_controller->isTraining())
        m_progress->reset();
    m_error->setText(m_controller->errorString());
    m_error->setVisible(!m_controller->errorString().isEmpty());
    m_start->setEnabled(open && (!job || done));
    m_pause->setEnabled(job && !done && !m_controller->isPaused());
    m_resume->setEnabled(job && !done && m_controller->isPaused());
    const qint64 shown = job ? job->id() : 0;
    if (shown != m_shownJobId) {
        m_shownJobId = shown;
        fillHistory();
    }
}

void LabelingJobPanel::showProgress(TrainingPhase phase, qint64 step, qint64 total)
{
    m_progress->setVisible(true);
    if (total > 0) {
        // Per mille, so a long run does not overflow the bar's int range.
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(step * 1000 / total));
    } else {
        m_progress->setRange(0, 0); // busy
    }
    const QLocale locale;
    switch (phase) {
    case TrainingPhase::Preparing:
        m_phase->setText(tr("Preparing the model\u2026"));
        break;
    case TrainingPhase::Training:
        m_phase->setText(total > 0 ? tr("Training\u2026 step %1 of %2")
                                         .arg(locale.toString(step), locale.toString(total))
                                   : tr("Training\u2026"));
        break;
    case TrainingPhase::Predicting:
        m_phase->setText(total > 0 ? tr("Predicting\u2026 %1 of %2 items")
                                         .arg(locale.toString(step), locale.toString(total))
                                   : tr("Predicting\u2026"));
        break;
    case TrainingPhase::Saving:
        m_phase->setText(tr("Saving the model\u2026"));
        break;
    }
}

void LabelingJobPanel::fillHistory()
{
    const LabelingJob *job = m_controller->job();
    const QList<IterationRecord> iterations = job ? job->iterations() : QList<IterationRecord>();
    const QLocale locale;
    m_history->setRowCount(int(iterations.size()));
    const auto cell = [](const QString &text) {
        auto *item = new QTableWidgetItem(text);
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        return item;
    };
    for (int row = 0; row < iterations.size(); ++row) {
        const IterationRecord &r = iterations[row];
        m_history->setItem(row, NumberColumn, cell(locale.toString(r.number)));
        m_history->setItem(row, HumanColumn, cell(locale.toString(r.human)));
        m_history->setItem(row, MachineColumn, cell(locale.toString(r.machine)));
        m_history->setItem(row, RemainingColumn, cell(locale.toString(r.remaining)));
        m_history->setItem(
            row, AccuracyColumn,
            cell(r.validationAccuracy
                     ? locale.toString(*r.validationAccuracy * 100.0, 'f', 1) + QStringLiteral(" %")
                     : QStringLiteral("\u2013")));
        m_history->setItem(
            row, ThresholdColumn,
            cell(r.threshold ? locale.toString(*r.threshold, 'f', 3) : QStringLiteral("\u2013")));
        m_history->setItem(row, SecondsColumn,
                           cell(locale.toString(r.trainSeconds + r.inferSeconds, 'f', 1)));
    }
    if (!iterations.isEmpty())
        m_history->scrollToBottom();

#ifdef FIELDMARK_HAVE_CHARTS
    QChart *chart = static_cast<QChartView *>(m_chart)->chart();
    chart->removeAllSeries();
    const QList<QAbstractAxis *> axes = chart->axes();
    for (QAbstractAxis *axis : axes) {
        chart->removeAxis(axis);
        delete axis;
    }
    auto *human = new QLineSeries;
    human->setName(tr("Human"));
    auto *machine = new QLineSeries;
    machine->setName(tr("Machine"));
    qint64 most = 1;
    for (const IterationRecord &r : iterations) {
        human->append(r.number, double(r.human));
        machine->append(r.number, double(r.machine));
        most = std::max({most, r.human, r.machine});
    }
    chart->addSeries(human);
    chart->addSeries(machine);
    auto *x = new QValueAxis;
    x->setTitleText(tr("Iteration"));
    x->setLabelFormat(QStringLiteral("%d"));
    const int first = iterations.isEmpty() ? 0 : iterations.constFirst().number;
    const int last = iterations.isEmpty() ? 1 : iterations.constLast().number;
    x->setRange(first, std::max(first + 1, last));
    x->setTickCount(int(std::clamp<qsizetype>(iterations.size(), 2, 6)));
    auto *y = new QValueAxis;
    y->setLabelFormat(QStringLiteral("%d"));
    y->setRange(0, double(std::max<qint64>(most, 1)));
    y->applyNiceNumbers(); // round ticks (0, 10, 20, ...), not fractions of the largest count
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries *series : chart->series()) {
        series->attachAxis(x);
        series->attachAxis(y);
    }
#endif
}

} // namespace fieldmark
