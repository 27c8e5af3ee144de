#include "jobsettingsdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace fieldmark {

namespace {

QSpinBox *countSpin(const QString &zeroMeans, QWidget *parent)
{
    auto *spin = new QSpinBox(parent);
    spin->setRange(0, std::numeric_limits<int>::max());
    spin->setSingleStep(10);
    // 0 leaves the choice to the policy, which sizes it on the number of items.
    spin->setSpecialValueText(zeroMeans);
    return spin;
}

} // namespace

JobSettingsDialog::JobSettingsDialog(const QList<LabelTask> &tasks, qint64 currentTaskId,
                                     const QString &suggestedName, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("jobSettingsDialog"));
    setWindowTitle(tr("Start Labeling Job"));
    const JobSettings defaults;

    m_name = new QLineEdit(suggestedName, this);
    m_name->setObjectName(QStringLiteral("jobName"));
    m_task = new QComboBox(this);
    m_task->setObjectName(QStringLiteral("jobTask"));
    for (const LabelTask &task : tasks)
        m_task->addItem(task.name, task.id);
    m_task->setCurrentIndex(std::max(0, m_task->findData(currentTaskId)));

    m_policy = new QComboBox(this);
    m_policy->setObjectName(QStringLiteral("jobPolicy"));
    m_policy->addItem(tr("Fieldmark: small batches, per-class thresholds"),
                      labelingPolicyName(LabelingPolicy::Fieldmark));
    m_policy->addItem(tr("Ground Truth: batches of 1,000, one threshold"),
                      labelingPolicyName(LabelingPolicy::GroundTruth));
    m_policy->setToolTip(
        tr("Fieldmark's policy picks each batch by the model's uncertainty and variety and "
           "admits machine labels per class on a lower confidence bound; Ground Truth's is "
           "SageMaker's published one, for comparison."));

    m_batch = countSpin(tr("Policy default"), this);
    m_batch->setObjectName(QStringLiteral("jobBatch"));
    m_validation = countSpin(tr("Policy default"), this);
    m_validation->setObjectName(QStringLiteral("jobValidation"));
    m_target = new QDoubleSpinBox(this);
    m_target->setObjectName(QStringLiteral("jobTarget"));
    m_target->setRange(50.0, 99.9);
    m_target->setDecimals(1);
    m_target->setSuffix(QStringLiteral(" %"));
    m_target->setValue(defaults.targetAccuracy * 100.0);
    m_maxHuman = countSpin(tr("No limit"), this);
    m_maxHuman->setObjectName(QStringLiteral("jobMaxHuman"));

    m_warmStart = new QLineEdit(this);
    m_warmStart->setObjectName(QStringLiteral("jobWarmStart"));
    m_warmStart->setPlaceholderText(tr("A fresh model"));
    m_warmStart->setToolTip(
        tr("Another project whose latest model, trained for a task of the same type and "
           "classes, this job starts from"));
    auto *browse = new QPushButton(tr("&Browse\u2026"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(
            this, tr("Start From the Model of Project"), m_warmStart->text());
        if (!folder.isEmpty())
            m_warmStart->setText(QDir::toNativeSeparators(folder));
    });
    auto *warmStartRow = new QHBoxLayout;
    warmStartRow->addWidget(m_warmStart, 1);
    warmStartRow->addWidget(browse);

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Task:"), m_task);
    form->addRow(tr("&Policy:"), m_policy);
    form->addRow(tr("&Batch size:"), m_batch);
    form->addRow(tr("&Validation set:"), m_validation);
    form->addRow(tr("Target &accuracy:"), m_target);
    form->addRow(tr("&Max human labels:"), m_maxHuman);
    // A row of a layout gets no buddy by itself, and without one the '&' would show.
    auto *warmStartLabel = new QLabel(tr("Start &from:"), this);
    warmStartLabel->setBuddy(m_warmStart);
    form->addRow(warmStartLabel, warmStartRow);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Start"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &JobSettingsDialog::updateButtons);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_buttons);
    updateButtons();
}

QString JobSettingsDialog::name() const
{
    return m_name->text().trimmed();
}

qint64 JobSettingsDialog::taskId() const
{
    return m_task->currentData().toLongLong();
}

JobSettings JobSettingsDialog::settings() const
{
    JobSettings settings;
    settings.policy =
        m_policy->currentData().toString() == labelingPolicyName(LabelingPolicy::GroundTruth)
            ? LabelingPolicy::GroundTruth
            : LabelingPolicy::Fieldmark;
    settings.batchSize = m_batch->value();
    settings.validationSize = m_validation->value();
    settings.targetAccuracy = m_target->value() / 100.0;
    settings.maxHumanLabels = m_maxHuman->value();
    return settings;
}

QString JobSettingsDialog::warmStartProject() const
{
    const QString text = m_warmStart->text().trimmed();
    return text.isEmpty() ? QString() : QDir::fromNativeSeparators(text);
}

void JobSettingsDialog::updateButtons()
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!name().isEmpty() && m_task->count() > 0);
}

} // namespace fieldmark
