#include "itemlistmodel.h"

#include "thumbnailprovider.h"
#include "ui/appinfo.h"

#include "core/store/projectstore.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QStyle>

#include <algorithm>

namespace fieldmark {

ItemListModel::ItemListModel(ThumbnailProvider *thumbnails, QObject *parent)
    : QAbstractListModel(parent)
    , m_thumbnails(thumbnails)
    , m_imageIcon(themeIcon(QStringLiteral("image-x-generic"), QStyle::SP_FileIcon))
    , m_textIcon(themeIcon(QStringLiteral("text-x-generic"), QStyle::SP_FileIcon))
    , m_errorIcon(themeIcon(QStringLiteral("image-missing"), QStyle::SP_MessageBoxCritical))
{
    m_items.setMaxCost(kMaxCachedItems);
    if (m_thumbnails) {
        connect(m_thumbnails, &ThumbnailProvider::thumbnailReady, this,
                &ItemListModel::thumbnailChanged);
        connect(m_thumbnails, &ThumbnailProvider::thumbnailFailed, this,
                &ItemListModel::thumbnailChanged);
    }
}

void ItemListModel::setStore(ProjectStore *store)
{
    m_store = store;
    reload();
}

QList<qint64> ItemListModel::queryIds() const
{
    if (!m_store)
        return {};
    QList<qint64> ids = m_store->itemIds(m_filter);
    if (m_failedOnly && m_thumbnails) {
        ids.removeIf([this](qint64 id) { return m_thumbnails->error(id).isEmpty(); });
    }
    return ids;
}

void ItemListModel::reload()
{
    beginResetModel();
    m_items.clear();
    m_states.clear();
    m_ids = queryIds();
    m_ascending = std::is_sorted(m_ids.cbegin(), m_ids.cend());
    endResetModel();
}

void ItemListModel::setKindFilter(std::optional<ItemKind> kind)
{
    if (kind == m_filter.kind)
        return;
    m_filter.kind = kind;
    reload();
}

void ItemListModel::setTaskId(qint64 taskId)
{
    if (taskId == m_filter.taskId)
        return;
    m_filter.taskId = taskId;
    if (taskId == 0) {
        m_filter.states.clear();
        m_filter.classId = 0;
    }
    reload();
}

void ItemListModel::setFilter(const ItemFilter &filter)
{
    m_filter = filter;
    reload();
}

void ItemListModel::setFailedOnly(bool failedOnly)
{
    if (failedOnly == m_failedOnly)
        return;
    m_failedOnly = failedOnly;
    reload();
}

void ItemListModel::refreshItem(qint64 itemId)
{
    const int row = rowForItem(itemId);
    if (row < 0 || !m_store)
        return;
    if (m_filter.taskId > 0) {
        const auto states = m_store->itemLabelStates(m_filter.taskId, {itemId});
        if (states.contains(itemId))
            m_states.insert(itemId, states.value(itemId));
        else
            m_states.remove(itemId);
    }
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed, {Qt::DisplayRole, LabelStateRole});
}

std::optional<ItemLabelState> ItemListModel::labelState(int row) const
{
    if (m_filter.taskId <= 0 || !cachedItem(row))
        return std::nullopt;
    const auto it = m_states.constFind(m_ids.at(row));
    return it != m_states.cend() ? std::optional<ItemLabelState>(*it) : std::nullopt;
}

void ItemListModel::refresh()
{
    QList<qint64> ids = queryIds();
    const bool appended =
        ids.size() >= m_ids.size() && std::equal(m_ids.cbegin(), m_ids.cend(), ids.cbegin());
    if (appended) {
        if (ids.size() == m_ids.size())
            return;
        beginInsertRows({}, int(m_ids.size()), int(ids.size()) - 1);
        m_ids = std::move(ids);
        m_ascending = std::is_sorted(m_ids.cbegin(), m_ids.cend());
        endInsertRows();
        return;
    }
    beginResetModel();
    m_items.clear();
    m_states.clear();
    m_ids = std::move(ids);
    m_ascending = std::is_sorted(m_ids.cbegin(), m_ids.cend());
    endResetModel();
}

int ItemListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

qint64 ItemListModel::itemId(int row) const
{
    return row >= 0 && row < m_ids.size() ? m_ids.at(row) : 0;
}

int ItemListModel::rowForItem(qint64 itemId) const
{
    if (!m_ascending)
        return int(m_ids.indexOf(itemId));
    const auto it = std::lower_bound(m_ids.cbegin(), m_ids.cend(), itemId);
    return it != m_ids.cend() && *it == itemId ? int(it - m_ids.cbegin()) : -1;
}

std::optional<Item> ItemListModel::item(int row) const
{
    if (const Item *cached = cachedItem(row))
        return *cached;
    return std::nullopt;
}

const Item *ItemListModel::cachedItem(int row) const
{
    if (!m_store || row < 0 || row >= m_ids.size())
        return nullptr;
    if (Item *cached = m_items.object(m_ids.at(row)))
        return cached;
    // Load the whole block around the row: a view asks for its neighbours next.
    const int first = row - row % kBlockSize;
    const int last = std::min(int(m_ids.size()), first + kBlockSize);
    QList<qint64> loadedIds;
    for (int r = first; r < last; ++r) {
        const qint64 id = m_ids.at(r);
        if (m_items.contains(id))
            continue;
        if (auto loaded = m_store->item(id)) {
            m_items.insert(id, new Item(std::move(loaded).value()));
            loadedIds.append(id);
        }
    }
    // The block's label states in one query; they live as long as the items do, roughly.
    if (m_filter.taskId > 0 && !loadedIds.isEmpty()) {
        if (m_states.size() > 4 * kMaxCachedItems)
            m_states.clear();
        const QHash<qint64, ItemLabelState> states =
            m_store->itemLabelStates(m_filter.taskId, loadedIds);
        for (auto it = states.cbegin(); it != states.cend(); ++it)
            m_states.insert(it.key(), it.value());
    }
    return m_items.object(m_ids.at(row));
}

QString ItemListModel::displayText(const Item &item)
{
    if (item.kind == ItemKind::Text) {
        const QString text = item.text.simplified();
        return text.size() > kMaxDisplayChars ? text.left(kMaxDisplayChars - 1) + QChar(0x2026)
                                              : text;
    }
    return QFileInfo(item.path).fileName();
}

QString ItemListModel::toolTip(const Item &item, const QString &error)
{
    QStringList lines;
    if (!item.path.isEmpty())
        lines.append(QDir::toNativeSeparators(item.path));
    else if (!item.sourceRef.isEmpty())
        lines.append(item.sourceRef);
    if (item.kind == ItemKind::Image && item.width > 0)
        lines.append(tr("%1 \u00d7 %2 pixels, %3")
                         .arg(item.width)
                         .arg(item.height)
                         .arg(QLocale().formattedDataSize(item.fileSize)));
    else if (item.kind == ItemKind::Text)
        lines.append(tr("%1 characters").arg(QLocale().toString(item.text.size())));
    if (!error.isEmpty())
        lines.append(error);
    return lines.join(QLatin1Char('\n'));
}

QVariant ItemListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_ids.size())
        return {};
    const int row = index.row();
    if (role == ItemIdRole)
        return m_ids.at(row);
    const Item *item = cachedItem(row);
    if (!item) {
        if (role == Qt::DisplayRole)
            return tr("(item %1 cannot be read)").arg(m_ids.at(row));
        return {};
    }
    const QString error =
        item->kind == ItemKind::Image && m_thumbnails ? m_thumbnails->error(item->id) : QString();
    switch (role) {
    case Qt::DisplayRole:
        return displayText(*item);
    case Qt::ToolTipRole:
        return toolTip(*item, error);
    case Qt::DecorationRole:
        if (item->kind == ItemKind::Text)
            return m_textIcon;
        if (!error.isEmpty())
            return m_errorIcon;
        if (m_thumbnails) {
            const QPixmap pixmap = m_thumbnails->thumbnail(
                ThumbnailRequest{item->id, item->path, item->hash, item->fileSize});
            if (!pixmap.isNull())
                return QIcon(pixmap);
        }
        return m_imageIcon;
    case KindRole:
        return int(item->kind);
    case PathRole:
        return item->path;
    case SizeRole:
        return QSize(item->width, item->height);
    case ErrorRole:
        return error;
    case LabelStateRole: {
        const auto state = m_states.constFind(item->id);
        return m_filter.taskId > 0 && state != m_states.cend() ? QVariant(int(*state)) : QVariant();
    }
    default:
        return {};
    }
}

void ItemListModel::thumbnailChanged(qint64 itemId)
{
    const int row = rowForItem(itemId);
    if (row < 0)
        return;
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed, {Qt::DecorationRole, Qt::ToolTipRole, ErrorRole});
}

} // namespace fieldmark
