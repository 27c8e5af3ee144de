#pragma once

#include "core/model/item.h"
#include "core/store/projectstore.h"

#include <QAbstractListModel>
#include <QCache>
#include <QIcon>
#include <QList>

#include <optional>

namespace fieldmark {

class ProjectStore;
class ThumbnailProvider;

// The project's items as a flat list for the browser. Only the id list is read up front;
// an item's details are loaded when its row is first shown, a block of rows at a time, and
// kept in a bounded cache, so a project of 100,000 items opens as fast as its id query.
class ItemListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        ItemIdRole = Qt::UserRole + 1,
        KindRole,       // int(ItemKind)
        PathRole,       // the medium's absolute path
        SizeRole,       // QSize of an image, from its header at import
        ErrorRole,      // why the image cannot be shown; empty when it can (or is not known yet)
        LabelStateRole, // int(ItemLabelState) for the task; invalid without a task
    };

    static constexpr int kBlockSize = 64;        // rows loaded together
    static constexpr int kMaxCachedItems = 4096; // items kept in memory
    static constexpr int kMaxDisplayChars = 80;  // of a text, in its row

    explicit ItemListModel(ThumbnailProvider *thumbnails, QObject *parent = nullptr);

    // The store to list (nullptr for none); it must outlive the model or be replaced first.
    void setStore(ProjectStore *store);
    ProjectStore *store() const { return m_store; }

    // Only items of one kind, or all of them.
    void setKindFilter(std::optional<ItemKind> kind);
    std::optional<ItemKind> kindFilter() const { return m_filter.kind; }
    // The task whose label states the rows show and the filter reads (0 for none).
    void setTaskId(qint64 taskId);
    qint64 taskId() const { return m_filter.taskId; }
    // Lists only the items the store's filter lets through (its task is setTaskId's).
    void setFilter(const ItemFilter &filter);
    const ItemFilter &filter() const { return m_filter; }
    // Lists only images known not to decode (their thumbnail failed), on top of the filter.
    void setFailedOnly(bool failedOnly);
    bool failedOnly() const { return m_failedOnly; }
    // Reads the item's label state again after an edit; the row stays listed even when it
    // no longer matches the filter, so the user's place in the list does not jump.
    void refreshItem(qint64 itemId);

    // Reads the id list again (after an import). New items at the end are inserted as rows,
    // so the selection stays; any other change resets the model.
    void refresh();

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    qint64 itemId(int row) const;
    int rowForItem(qint64 itemId) const; // -1 if not listed
    std::optional<Item> item(int row) const;
    std::optional<ItemLabelState> labelState(int row) const;
    // How many items are held in memory (for tests that check loading stays lazy).
    int loadedItemCount() const { return m_items.count(); }

    static QString displayText(const Item &item);
    static QString toolTip(const Item &item, const QString &error);

private:
    const Item *cachedItem(int row) const;
    void thumbnailChanged(qint64 itemId);
    QList<qint64> queryIds() const;
    void reload();

    ProjectStore *m_store = nullptr;
    ThumbnailProvider *m_thumbnails = nullptr;
    ItemFilter m_filter;
    bool m_failedOnly = false;
    // As the store lists them: ascending, except the review list (lowest confidence first).
    QList<qint64> m_ids;
    bool m_ascending = true;
    mutable QCache<qint64, Item> m_items;
    mutable QHash<qint64, ItemLabelState> m_states; // loaded with the items, a block at a time
    QIcon m_imageIcon;
    QIcon m_textIcon;
    QIcon m_errorIcon;
};

} // namespace fieldmark
