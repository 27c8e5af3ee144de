#include "itembrowser.h"

#include "itemlistmodel.h"
#include "ui/displaynames.h"
#include "ui/tasks/taskpanel.h"

#include <QAction>
#include <QComboBox>
#include <QCoreApplication>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QStyledItemDelegate>
#include <QTimer>
#include <QVBoxLayout>

namespace fieldmark {

namespace {

constexpr int kIconSize = 48;

// Every row has the height of an icon: with uniform sizes the view lays out 100,000 rows
// from one size hint instead of asking each row (which would load every item). An image's
// row says its size on a second line.
class ItemDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        // Icons smaller than a thumbnail (theme placeholders) keep the text in its column.
        if (option->features & QStyleOptionViewItem::HasDecoration)
            option->decorationSize = QSize(kIconSize, kIconSize);
        QStringList details;
        const QSize size = index.data(ItemListModel::SizeRole).toSize();
        if (size.width() > 0)
            details.append(QCoreApplication::translate("fieldmark::ItemBrowser", "%1 \u00d7 %2")
                               .arg(size.width())
                               .arg(size.height()));
        const QVariant state = index.data(ItemListModel::LabelStateRole);
        if (state.isValid())
            details.append(itemLabelStateDisplayName(ItemLabelState(state.toInt())));
        if (!details.isEmpty())
            option->text += QChar(QChar::LineSeparator) + details.join(QStringLiteral(" \u00b7 "));
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        size.setHeight(std::max(size.height(), kIconSize + 6));
        return size;
    }
};

} // namespace

ItemBrowser::ItemBrowser(ItemListModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("itemSearch"));
    m_search->setClearButtonEnabled(true);
    m_search->setPlaceholderText(tr("Search file names and texts"));
    auto *focusSearch = new QAction(tr("Search Items"), this);
    focusSearch->setShortcut(QKeySequence::Find);
    focusSearch->setShortcutContext(Qt::WindowShortcut);
    connect(focusSearch, &QAction::triggered, this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    addAction(focusSearch);
    m_search->setToolTip(tr("Search file names and texts (%1)")
                             .arg(focusSearch->shortcut().toString(QKeySequence::NativeText)));
    // Typing waits for a pause, so 100,000 items are filtered once, not per key.
    m_searchTimer = new QTimer(this);
    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(250);
    m_search->installEventFilter(this);

    m_kindFilter = new QComboBox(this);
    m_kindFilter->setObjectName(QStringLiteral("kindFilter"));
    m_kindFilter->addItem(tr("All items"), -1);
    m_kindFilter->addItem(tr("Images"), int(ItemKind::Image));
    m_kindFilter->addItem(tr("Texts"), int(ItemKind::Text));
    auto *filterLabel = new QLabel(tr("&Show:"), this);
    filterLabel->setBuddy(m_kindFilter);

    m_stateFilter = new QComboBox(this);
    m_stateFilter->setObjectName(QStringLiteral("stateFilter"));
    m_stateFilter->setToolTip(tr("Show items by label state"));
    m_classFilter = new QComboBox(this);
    m_classFilter->setObjectName(QStringLiteral("classFilter"));
    m_classFilter->setToolTip(tr("Show items with a label of this class"));
    m_classFilter->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_classFilter->setMinimumContentsLength(8);
    m_stateFilter->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_stateFilter->setMinimumContentsLength(8);

    m_view = new QListView(this);
    m_view->setObjectName(QStringLiteral("itemList"));
    m_view->setModel(m_model);
    m_view->setItemDelegate(new ItemDelegate(m_view));
    m_view->setUniformItemSizes(true);
    m_view->setIconSize(QSize(kIconSize, kIconSize));
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->setWordWrap(true); // a text's first words over two lines
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Lays out and paints in batches, so the first rows show before all are measured.
    m_view->setLayoutMode(QListView::Batched);
    m_view->setBatchSize(500);

    m_countLabel = new QLabel(this);
    m_countLabel->setObjectName(QStringLiteral("browserCount"));
    m_countLabel->setEnabled(false);

    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(filterLabel);
    filterRow->addWidget(m_kindFilter, 1);
    auto *stateRow = new QHBoxLayout;
    stateRow->addWidget(m_stateFilter, 1);
    stateRow->addWidget(m_classFilter, 1);
    auto *layout = new QVBoxLayout(this);
    // A little room from the dock's edge, as the Labels panel's group boxes have.
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(m_search);
    layout->addLayout(filterRow);
    layout->addLayout(stateRow);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_countLabel);

    setTask({}, {});

    connect(m_kindFilter, &QComboBox::currentIndexChanged, this, &ItemBrowser::kindFilterChanged);
    connect(m_stateFilter, &QComboBox::currentIndexChanged, this, &ItemBrowser::applyFilters);
    connect(m_classFilter, &QComboBox::currentIndexChanged, this, &ItemBrowser::applyFilters);
    connect(m_search, &QLineEdit::textChanged, m_searchTimer, qOverload<>(&QTimer::start));
    connect(m_searchTimer, &QTimer::timeout, this, &ItemBrowser::applyFilters);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &ItemBrowser::emitCurrent);
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this,
            [this] { m_keepItem = currentItemId(); });
    connect(m_model, &QAbstractItemModel::modelReset, this, &ItemBrowser::modelReset);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ItemBrowser::updateCountLabel);
}

bool ItemBrowser::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::ShortcutOverride) {
        // Return applies the search at once, Escape goes back to the list; neither may reach
        // the window's review keys.
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter || key == Qt::Key_Escape)
            event->accept();
    } else if (watched == m_search && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter) {
            applySearch();
            m_view->setFocus(Qt::OtherFocusReason);
            return true;
        }
        if (key == Qt::Key_Escape) {
            m_view->setFocus(Qt::OtherFocusReason);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ItemBrowser::setTask(const LabelTask &task, const TaskStatus &status)
{
    m_task = task;
    m_status = status;
    {
        const QSignalBlocker blockState(m_stateFilter);
        const QSignalBlocker blockClass(m_classFilter);
        const int state = m_stateFilter->currentData().isValid()
                              ? m_stateFilter->currentData().toInt()
                              : kAllStates;
        const qint64 classId = m_classFilter->currentData().toLongLong();
        fillStateFilter();
        const int stateIndex = m_stateFilter->findData(state);
        m_stateFilter->setCurrentIndex(stateIndex >= 0 ? stateIndex : 0);

        m_classFilter->clear();
        m_classFilter->addItem(tr("All classes"), qint64(0));
        for (const LabelClass &labelClass : task.classes)
            m_classFilter->addItem(TaskPanel::colorSwatch(labelClass.color), labelClass.name,
                                   labelClass.id);
        const int classIndex = m_classFilter->findData(classId);
        m_classFilter->setCurrentIndex(classIndex >= 0 ? classIndex : 0);
        m_classFilter->setEnabled(task.id > 0);
    }
    applyFilters();
}

void ItemBrowser::setStatus(const TaskStatus &status)
{
    m_status = status;
    const QSignalBlocker blocker(m_stateFilter);
    const int index = m_stateFilter->currentIndex();
    fillStateFilter();
    m_stateFilter->setCurrentIndex(index);
    updateCountLabel();
}

void ItemBrowser::fillStateFilter()
{
    const QLocale locale;
    const bool hasTask = m_task.id > 0;
    m_stateFilter->clear();
    m_stateFilter->addItem(tr("All states"), kAllStates);
    const std::pair<ItemLabelState, qint64> states[] = {
        {ItemLabelState::Unlabeled, m_status.unlabeled},
        {ItemLabelState::Human, m_status.human},
        {ItemLabelState::AwaitingReview, m_status.awaitingReview},
        {ItemLabelState::Accepted, m_status.accepted},
        {ItemLabelState::Rejected, m_status.rejected},
        {ItemLabelState::Skipped, m_status.skipped},
    };
    for (const auto &[state, count] : states) {
        const QString name = itemLabelStateDisplayName(state);
        m_stateFilter->addItem(hasTask ? tr("%1 (%2)").arg(name, locale.toString(count)) : name,
                               int(state));
        if (!hasTask) // states belong to a task
            m_stateFilter->setItemData(m_stateFilter->count() - 1, 0, Qt::UserRole - 1);
    }
    m_stateFilter->addItem(tr("Failed to load"), kFailedToLoad);
    m_stateFilter->setItemData(m_stateFilter->count() - 1,
                               tr("Images whose thumbnail could not be made in this session"),
                               Qt::ToolTipRole);
}

void ItemBrowser::setStateFilter(int choice)
{
    const int index = m_stateFilter->findData(choice);
    if (index >= 0)
        m_stateFilter->setCurrentIndex(index);
}

void ItemBrowser::applySearch()
{
    m_searchTimer->stop();
    applyFilters();
}

void ItemBrowser::kindFilterChanged()
{
    const int kind = m_kindFilter->currentData().toInt();
    m_model->setKindFilter(kind < 0 ? std::nullopt : std::optional<ItemKind>(ItemKind(kind)));
}

void ItemBrowser::applyFilters()
{
    ItemFilter filter = m_model->filter();
    filter.taskId = m_task.id;
    filter.states.clear();
    const int state = m_stateFilter->currentData().toInt();
    if (state != kAllStates && state != kFailedToLoad && m_task.id > 0)
        filter.states = {ItemLabelState(state)};
    filter.classId = m_task.id > 0 ? m_classFilter->currentData().toLongLong() : 0;
    filter.search = m_search->text();
    const bool failedOnly = state == kFailedToLoad;
    if (m_model->failedOnly() != failedOnly) {
        // One reload for both changes.
        const QSignalBlocker blocker(m_model);
        m_model->setFailedOnly(failedOnly);
    }
    m_model->setFilter(filter);
}

void ItemBrowser::modelReset()
{
    // Keep the item the user was on when it is still listed; otherwise the first.
    const int row = m_model->rowForItem(m_keepItem);
    if (row >= 0)
        m_view->setCurrentIndex(m_model->index(row));
    else if (m_model->rowCount() > 0)
        m_view->setCurrentIndex(m_model->index(0));
    if (m_view->currentIndex().isValid())
        m_view->scrollTo(m_view->currentIndex());
    updateCountLabel();
    emitCurrent();
}

void ItemBrowser::updateCountLabel()
{
    const QLocale locale;
    const qint64 total = m_model->store() ? m_model->store()->itemCount(m_model->kindFilter()) : 0;
    const qint64 shown = m_model->rowCount();
    m_countLabel->setText(
        shown == total
            ? tr("%1 items").arg(locale.toString(total))
            : tr("%1 of %2 items shown").arg(locale.toString(shown), locale.toString(total)));
}

qint64 ItemBrowser::currentItemId() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? m_model->itemId(current.row()) : 0;
}

bool ItemBrowser::setCurrentItem(qint64 itemId)
{
    const int row = m_model->rowForItem(itemId);
    if (row < 0)
        return false;
    const QModelIndex index = m_model->index(row);
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
    return true;
}

bool ItemBrowser::moveCurrent(int delta)
{
    const int row = m_view->currentIndex().isValid() ? m_view->currentIndex().row() + delta
                                                     : (delta > 0 ? 0 : m_model->rowCount() - 1);
    if (row < 0 || row >= m_model->rowCount())
        return false;
    const QModelIndex index = m_model->index(row);
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
    return true;
}

void ItemBrowser::emitCurrent()
{
    const qint64 current = currentItemId();
    if (current == m_lastEmitted)
        return;
    m_lastEmitted = current;
    Q_EMIT currentItemChanged(current);
}

} // namespace fieldmark
