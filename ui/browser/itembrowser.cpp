#include "itembrowser.h"

#include "itemlistmodel.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QLabel>
#include <QListView>
#include <QStyledItemDelegate>
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
        const QSize size = index.data(ItemListModel::SizeRole).toSize();
        if (size.width() > 0)
            option->text += QChar(QChar::LineSeparator) +
                            QCoreApplication::translate("fieldmark::ItemBrowser", "%1 \u00d7 %2")
                                .arg(size.width())
                                .arg(size.height());
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
    m_kindFilter = new QComboBox(this);
    m_kindFilter->setObjectName(QStringLiteral("kindFilter"));
    m_kindFilter->addItem(tr("All items"), -1);
    m_kindFilter->addItem(tr("Images"), int(ItemKind::Image));
    m_kindFilter->addItem(tr("Texts"), int(ItemKind::Text));
    auto *filterLabel = new QLabel(tr("&Show:"), this);
    filterLabel->setBuddy(m_kindFilter);

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

    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(filterLabel);
    filterRow->addWidget(m_kindFilter, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filterRow);
    layout->addWidget(m_view, 1);

    connect(m_kindFilter, &QComboBox::currentIndexChanged, this, &ItemBrowser::kindFilterChanged);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &ItemBrowser::emitCurrent);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ItemBrowser::emitCurrent);
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

void ItemBrowser::kindFilterChanged()
{
    const int kind = m_kindFilter->currentData().toInt();
    m_model->setKindFilter(kind < 0 ? std::nullopt : std::optional<ItemKind>(ItemKind(kind)));
}

void ItemBrowser::emitCurrent()
{
    Q_EMIT currentItemChanged(currentItemId());
}

} // namespace fieldmark
