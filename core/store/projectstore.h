#pragma once

#include "core/model/annotation.h"
#include "core/model/item.h"
#include "core/model/labeltask.h"
#include "core/store/jobrecords.h"
#include "core/util/result.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

class QSqlDatabase;

namespace fieldmark {

// Counts of a task's items by label state, for `status` and the browser's filters.
struct TaskStatus
{
    qint64 items = 0;          // items of the task's kind in the project
    qint64 unlabeled = 0;      // no live label
    qint64 human = 0;          // labeled by a person (or a reviewed machine label was edited)
    qint64 awaitingReview = 0; // holds a machine label not yet reviewed
    qint64 accepted = 0;       // machine labels accepted, nothing awaiting review
    qint64 rejected = 0;       // only rejected machine labels, so back in the human queue
    qint64 skipped = 0;        // marked "nothing to label"
    QHash<qint64, qint64> annotationsPerClass; // live annotations by class id
};

// Where one item stands for a task: the bucket taskStatus() counts it in.
enum class ItemLabelState {
    Unlabeled = 0,
    Human = 1,
    AwaitingReview = 2,
    Accepted = 3,
    Rejected = 4, // only rejected machine labels: back in the human queue
    Skipped = 5,
};

// Which items to list, for the browser's filters; empty fields do not filter.
struct ItemFilter
{
    std::optional<ItemKind> kind;
    qint64 taskId = 0;            // the task the state and class filters read
    QList<ItemLabelState> states; // any of these
    qint64 classId = 0;           // items with a live label of this class
    QString search;               // in the path or the text, case-insensitive (ASCII)
};

// The outcome of adding a batch of items.
struct AddItemsResult
{
    QList<qint64> addedIds;
    // Items not added because their content hash is already in the project:
    // (index in the batch, id of the item already there).
    QList<std::pair<qsizetype, qint64>> duplicates;
};

// One row of the append-only event log.
struct Event
{
    qint64 id = 0;
    qint64 timeMs = 0;
    QString kind; // "item.import", "annotation.add", "class.rename", ...
    qint64 annotatorId = 0;
    qint64 itemId = 0;
    QString payload; // JSON
};

// A file an import skipped, with the reason.
struct ImportProblem
{
    QString path;
    QString reason;
};

// The outcome of pointing items at a moved folder.
struct RelinkResult
{
    qint64 relinked = 0;
    QList<ImportProblem> missing; // no file at the new place: the item keeps its old path
    QList<ImportProblem> changed; // a file is there, but not the same one (size or content)
};

// The one way to persistence for a project: a folder holding `project.fieldmark` (SQLite, WAL,
// foreign keys on, one transaction per edit, versioned schema) and a `cache/` folder. Media
// stay where the user keeps them. Several processes may open the same project: SQLite's
// locking serialises their writes and each write is a transaction.
//
// A store belongs to the thread that opened it; another thread opens its own store on the
// same folder.
class ProjectStore
{
public:
    static constexpr const char *kDatabaseFileName = "project.fieldmark";
    static constexpr const char *kCacheDirName = "cache";

    struct OpenOptions
    {
        bool create = false;        // create the folder and database if there is none
        bool checkIntegrity = true; // run PRAGMA integrity_check and refuse a damaged file
        int busyTimeoutMs = 10000;  // how long to wait for another process's write
    };

    static Result<std::unique_ptr<ProjectStore>> open(const QString &directory,
                                                      const OpenOptions &options);
    static Result<std::unique_ptr<ProjectStore>> open(const QString &directory)
    {
        return open(directory, OpenOptions{});
    }
    static Result<std::unique_ptr<ProjectStore>> create(const QString &directory);

    ~ProjectStore();
    ProjectStore(const ProjectStore &) = delete;
    ProjectStore &operator=(const ProjectStore &) = delete;

    QString directory() const { return m_directory; }
    QString databasePath() const;
    QString cacheDirectory() const;
    int schemaVersion() const;
    static int currentSchemaVersion();

    // Annotators: people and models; the id goes into provenance.
    Result<qint64> annotatorId(const QString &name, bool isModel = false);
    QString annotatorName(qint64 id) const;

    // Tasks and classes.
    Result<LabelTask> addTask(const QString &name, TaskType type, const QStringList &classNames);
    QList<LabelTask> tasks() const;
    Result<LabelTask> task(qint64 taskId) const;
    Result<LabelTask> taskByName(const QString &name) const;
    Result<LabelClass> addClass(qint64 taskId, const QString &name, const QColor &color = {},
                                const QString &shortcut = {});
    // Renames keep the class id, so annotations stay with their class.
    Result<void> renameClass(qint64 taskId, const QString &oldName, const QString &newName);

    // Items. A batch is one transaction. Duplicates are reported, not added: an image whose
    // content hash is stored, a text already stored from the same file and line.
    Result<AddItemsResult> addItems(const QList<Item> &items);
    Result<Item> item(qint64 itemId) const;
    QList<qint64> itemIds(std::optional<ItemKind> kind = {}) const;
    // Every item (of a kind), ordered by id, in one query: for export and bulk work.
    QList<Item> items(std::optional<ItemKind> kind = {}) const;
    // The items with these ids, ordered by id (unknown ids are left out).
    QList<Item> items(QList<qint64> ids) const;
    qint64 itemCount(std::optional<ItemKind> kind = {}) const;
    std::optional<qint64> itemIdByHash(const QByteArray &hash) const;
    QHash<QByteArray, qint64> itemIdsByHash() const;
    // After the user moved a folder of media: items whose path lies under `from` are pointed at
    // the same relative path under `to`, when a file is there with the same size (and, with
    // verifyContent, the same content hash). One transaction; the rest keep their paths.
    Result<RelinkResult> relinkItems(const QString &from, const QString &to,
                                     bool verifyContent = false);

    // Runs `work` as one transaction: the edits it makes through this store (each of which is
    // otherwise a transaction of its own) are all saved, or, when it returns an error or a
    // write fails, none is. Calls may nest.
    Result<void> transact(const std::function<Result<void>()> &work);

    // Annotations. Each call is one transaction, validated first, logged in the event log.
    // In a single-label task, a new class label replaces the item's previous one.
    Result<qint64> addAnnotation(const Annotation &annotation);
    // Many annotations of one task in one transaction (imports, pre-filled machine labels):
    // all are validated first and none is written if one is invalid. The event log gets one
    // "annotation.add-batch" event with the count and the id range, not one event each.
    // Returns the new ids in the order given.
    Result<QList<qint64>> addAnnotations(const QList<Annotation> &annotations,
                                         const QString &source = {});
    Result<void> updateAnnotation(const Annotation &annotation);
    Result<void> removeAnnotation(qint64 annotationId);
    Result<Annotation> annotation(qint64 annotationId) const;
    QList<Annotation> annotations(qint64 itemId, qint64 taskId) const;
    // Every annotation of a task, ordered by item then id (one query, for export).
    QList<Annotation> taskAnnotations(qint64 taskId) const;
    // "Nothing to label" on an item for a task, with a reason; an empty reason clears it.
    // `annotatorId` says who decided it (0: a person not named); a model's skip is its answer
    // "none of the classes" or "no entities" (core/labeling).
    Result<void> setSkipped(qint64 itemId, qint64 taskId, const QString &reason,
                            qint64 annotatorId = 0);
    // The reason an item was marked "nothing to label" for a task; empty when it is not.
    QString skipReason(qint64 itemId, qint64 taskId) const;
    // Every item marked "nothing to label" for a task.
    QList<qint64> skippedItems(qint64 taskId) const;
    // Those of them a model marked (its annotator is a model), the rest being people's.
    QList<qint64> modelSkippedItems(qint64 taskId) const;

    TaskStatus taskStatus(qint64 taskId) const;
    // The ids of the items the filter lets through, ascending, in one query (100,000 items
    // in well under a second), so the browser filters without loading items.
    QList<qint64> itemIds(const ItemFilter &filter) const;
    // The state of each given item for the task (items not in the project are left out).
    QHash<qint64, ItemLabelState> itemLabelStates(qint64 taskId,
                                                  const QList<qint64> &itemIds) const;

    // Imports: one row per run, the files it skipped and why.
    Result<qint64> beginImport(const QString &source, const QString &annotator = {});
    Result<void> finishImport(qint64 importId, qint64 added, qint64 duplicates,
                              const QList<ImportProblem> &problems);
    QList<ImportProblem> importProblems(qint64 importId) const;

    QList<Event> events(qint64 afterId = 0, int limit = 1000) const;

    // Labeling jobs (projectstorejobs.cpp): what core/labeling needs to survive a restart.
    Result<qint64> addJob(const JobRecord &job);
    Result<JobRecord> job(qint64 jobId) const;
    Result<JobRecord> jobByName(const QString &name) const;
    QList<JobRecord> jobs(std::optional<qint64> taskId = {}) const;
    // The job's state and settings together, as one edit.
    Result<void> updateJob(qint64 jobId, const QString &state, const QJsonObject &settings);
    // Puts items into a job's human queue under a role; an item already in the job keeps its
    // first role. One transaction.
    Result<void> addJobItems(qint64 jobId, const QList<qint64> &itemIds, const QString &role,
                             int batch);
    QList<JobItemRecord> jobItems(qint64 jobId) const;
    Result<qint64> addIteration(const IterationRecord &iteration);
    QList<IterationRecord> iterations(qint64 jobId) const;
    Result<qint64> addCheckpoint(const CheckpointRecord &checkpoint);
    Result<CheckpointRecord> checkpoint(qint64 checkpointId) const;

    // PRAGMA integrity_check; empty when the database is sound.
    QString integrityProblems() const;

private:
    ProjectStore() = default;
    Result<void> initialise(const OpenOptions &options);
    QSqlDatabase db() const;
    Result<void> appendEvent(const QString &kind, qint64 itemId, const QString &payload,
                             qint64 annotatorId = 0);
    Result<Item> loadItem(qint64 itemId) const;
    Result<void> insertAnnotations(const QList<Annotation> &annotations,
                                   const QHash<qint64, LabelTask> &tasks, QList<qint64> &ids);
    // The annotation's task, once the annotation is checked against its item and task.
    Result<LabelTask> checkedTask(const Annotation &annotation) const;

    QString m_directory;
    QString m_connectionName;
    qint64 m_systemAnnotator = 0;
    int m_transactionDepth = 0; // open WriteTransactions on this connection (savepoints inside)
};

} // namespace fieldmark
