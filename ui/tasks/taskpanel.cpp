#include "taskpanel.h"

#include "ui/displaynames.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QProgressBar>
#include <QStackedLayout>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace fieldmark {

namespace {

enum ClassColumn { NameColumn, ShortcutColumn, LabelsColumn };

} // namespace

TaskPanel::TaskPanel(QWidget *parent)
    : QWidget(parent)
{
    m_emptyLabel = new QLabel(this);
    m_emptyLabel->setObjectName(QStringLiteral("taskEmpty"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setEnabled(false);

    m_taskPage = new QWidget(this);
    m_taskCombo = new QComboBox(m_taskPage);
    m_taskCombo->setObjectName(QStringLiteral("taskCombo"));
    m_typeLabel = new QLabel(m_taskPage);
    m_typeLabel->setObjectName(QStringLiteral("taskType"));

    m_classTree = new QTreeWidget(m_taskPage);
    m_classTree->setObjectName(QStringLiteral("classTree"));
    m_classTree->setRootIsDecorated(false);
    m_classTree->setUniformRowHeights(true);
    m_classTree->setHeaderLabels({tr("Class"), tr("Key"), tr("Labels")});
    m_classTree->header()->setStretchLastSection(false);
    m_classTree->header()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    m_classTree->header()->setSectionResizeMode(ShortcutColumn, QHeaderView::ResizeToContents);
    m_classTree->header()->setSectionResizeMode(LabelsColumn, QHeaderView::ResizeToContents);

    auto *statusBox = new QGroupBox(tr("Progress"), m_taskPage);
    auto *form = new QFormLayout(statusBox);
    m_progress = new QProgressBar(statusBox);
    m_progress->setObjectName(QStringLiteral("taskProgress"));
    form->addRow(m_progress);
    const QList<std::pair<Count, QString>> rows = {
        {Count::Items, tr("Items:")},
        {Count::Unlabeled, tr("Unlabeled:")},
        {Count::Human, tr("Labeled by people:")},
        {Count::AwaitingReview, tr("Awaiting review:")},
        {Count::Accepted, tr("Machine labels accepted:")},
        {Count::Rejected, tr("Machine labels rejected:")},
        {Count::Skipped, tr("Skipped:")},
    };
    static const char *const objectNames[] = {"countItems",    "countUnlabeled", "countHuman",
                                              "countAwaiting", "countAccepted",  "countRejected",
                                              "countSkipped"};
    for (const auto &[count, text] : rows) {
        auto *value = new QLabel(statusBox);
        value->setObjectName(QString::fromLatin1(objectNames[int(count)]));
        value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        form->addRow(text, value);
        m_countLabels.insert(int(count), value);
    }

    auto *taskLayout = new QVBoxLayout(m_taskPage);
    taskLayout->setContentsMargins(0, 0, 0, 0);
    taskLayout->addWidget(m_taskCombo);
    taskLayout->addWidget(m_typeLabel);
    taskLayout->addWidget(m_classTree, 1);
    taskLayout->addWidget(statusBox);

    m_stack = new QStackedLayout(this);
    m_stack->addWidget(m_emptyLabel);
    m_stack->addWidget(m_taskPage);

    connect(m_taskCombo, &QComboBox::currentIndexChanged, this, [this] {
        showCurrentTask();
        Q_EMIT currentTaskChanged(currentTaskId());
    });
    refresh();
}

void TaskPanel::setStore(ProjectStore *store)
{
    m_store = store;
    refresh();
}

qint64 TaskPanel::currentTaskId() const
{
    return m_taskCombo->currentData().toLongLong();
}

void TaskPanel::refresh()
{
    const qint64 previous = currentTaskId();
    m_tasks = m_store ? m_store->tasks() : QList<LabelTask>();
    {
        const QSignalBlocker blocker(m_taskCombo);
        m_taskCombo->clear();
        for (const LabelTask &task : m_tasks)
            m_taskCombo->addItem(task.name, task.id);
        const int index = m_taskCombo->findData(previous);
        m_taskCombo->setCurrentIndex(index >= 0 ? index : 0);
    }
    if (!m_store) {
        m_emptyLabel->setText(tr("No project is open."));
        m_stack->setCurrentWidget(m_emptyLabel);
    } else if (m_tasks.isEmpty()) {
        m_emptyLabel->setText(tr("This project has no label task yet."));
        m_stack->setCurrentWidget(m_emptyLabel);
    } else {
        m_stack->setCurrentWidget(m_taskPage);
    }
    showCurrentTask();
    if (currentTaskId() != previous)
        Q_EMIT currentTaskChanged(currentTaskId());
}

void TaskPanel::showCurrentTask()
{
    m_classTree->clear();
    const int index = m_taskCombo->currentIndex();
    if (!m_store || index < 0 || index >= m_tasks.size()) {
        m_typeLabel->clear();
        for (QLabel *label : std::as_const(m_countLabels))
            label->clear();
        m_progress->reset();
        return;
    }
    const LabelTask &task = m_tasks.at(index);
    m_typeLabel->setText(taskTypeDisplayName(task.type));
    QList<QTreeWidgetItem *> rows;
    for (const LabelClass &labelClass : task.classes) {
        auto *row = new QTreeWidgetItem;
        row->setIcon(NameColumn, colorSwatch(labelClass.color));
        row->setText(NameColumn, labelClass.name);
        row->setData(NameColumn, Qt::UserRole, labelClass.id);
        const QKeySequence shortcut(labelClass.shortcut, QKeySequence::PortableText);
        row->setText(ShortcutColumn, shortcut.toString(QKeySequence::NativeText));
        row->setTextAlignment(LabelsColumn, Qt::AlignRight | Qt::AlignVCenter);
        rows.append(row);
    }
    m_classTree->addTopLevelItems(rows);
    showStatus(m_store->taskStatus(task.id));
}

void TaskPanel::showStatus(const TaskStatus &status)
{
    if (!m_store || m_taskCombo->currentIndex() < 0)
        return;
    const QLocale locale;
    for (int i = 0; i < m_classTree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *row = m_classTree->topLevelItem(i);
        const qint64 classId = row->data(NameColumn, Qt::UserRole).toLongLong();
        row->setText(LabelsColumn, locale.toString(status.annotationsPerClass.value(classId)));
    }
    const qint64 values[] = {status.items,          status.unlabeled, status.human,
                             status.awaitingReview, status.accepted,  status.rejected,
                             status.skipped};
    for (int i = 0; i < int(std::size(values)); ++i)
        m_countLabels.value(i)->setText(locale.toString(values[i]));

    // QProgressBar counts in int; scale large projects down to per-mille.
    const qint64 done = status.items - status.unlabeled;
    m_progress->setRange(0, 1000);
    m_progress->setValue(status.items > 0 ? int(done * 1000 / status.items) : 0);
    m_progress->setFormat(
        tr("%1 of %2 labeled").arg(locale.toString(done), locale.toString(status.items)));
}

QIcon TaskPanel::colorSwatch(const QColor &color, int size)
{
    // Drawn at 1x and 2x, so the swatch stays sharp on a High-DPI screen.
    QIcon icon;
    for (const int scale : {1, 2}) {
        QPixmap pixmap(size * scale, size * scale);
        pixmap.setDevicePixelRatio(scale);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(color.isValid() ? color.darker(160) : QColor(Qt::darkGray), 1));
        painter.setBrush(color.isValid() ? color : QColor(Qt::gray));
        painter.drawRoundedRect(QRectF(1.5, 1.5, size - 3, size - 3), 3, 3);
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace fieldmark
