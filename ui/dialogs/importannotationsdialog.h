#pragma once

#include "core/formats/annotationimport.h"
#include "core/model/labeltask.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QList>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class QThreadPool;
class QTimer;

namespace fieldmark {

class FormatRegistry;

// A plan worked out on a worker thread, tagged with the choices it was made for.
struct AnnotationImportPlanOutcome
{
    quint64 generation = 0;
    std::optional<AnnotationImportPlan> plan;
    QString error;
};

// File > Import Annotations: a format that can read, the file or folder to read, the task
// the labels go to and what to do with what the project lacks. Before anything is written it
// shows what the import would do: items matched and missing, annotations to add, classes the
// task lacks and the problems in the file (where, and why). The plan reads the file and the
// store, so it is worked out on a worker thread with its own ProjectStore; a plan for choices
// since changed is stopped and dropped. Import stays disabled while the file has problems
// unless the user chooses to import the valid part. Writing is the caller's job.
class ImportAnnotationsDialog : public QDialog
{
    Q_OBJECT

public:
    // The registry is shared: a plan still being worked out when the dialog goes reads with
    // one of its formats. Planning runs on `pool` (the global pool when null).
    ImportAnnotationsDialog(std::shared_ptr<const FormatRegistry> formats,
                            const QString &projectDirectory, const QList<LabelTask> &tasks,
                            QWidget *parent = nullptr, QThreadPool *pool = nullptr);
    ~ImportAnnotationsDialog() override;

    bool setFormat(const QString &name);
    void setPath(const QString &path);
    void setCurrentTask(qint64 taskId);
    // Where Browse starts.
    void setStartFolder(const QString &folder) { m_startFolder = folder; }

    const Format *format() const;
    QString path() const;
    qint64 taskId() const;
    QString projectDirectory() const { return m_projectDirectory; }
    AnnotationImportOptions options() const;

    // True while the plan for the current choices is on its way.
    bool isPlanning() const;
    const std::optional<AnnotationImportPlan> &plan() const { return m_plan; }
    QString planError() const { return m_planError; }
    // Why Import is disabled, in words; empty when it is enabled.
    QString blockReason() const { return m_blockReason; }

    QComboBox *formatCombo() const { return m_formatCombo; }
    QLineEdit *pathEdit() const { return m_pathEdit; }
    QComboBox *taskCombo() const { return m_taskCombo; }
    QCheckBox *addItemsCheck() const { return m_addItemsCheck; }
    QCheckBox *addClassesCheck() const { return m_addClassesCheck; }
    QCheckBox *validPartCheck() const { return m_validPartCheck; }
    QLabel *planLabel() const { return m_planLabel; }
    QLabel *matchedLabel() const { return m_matchedLabel; }
    QLabel *missingLabel() const { return m_missingLabel; }
    QLabel *annotationsLabel() const { return m_annotationsLabel; }
    QLabel *unknownClassesLabel() const { return m_unknownLabel; }
    QTableWidget *problemTable() const { return m_problemTable; }
    QPushButton *importButton() const;

Q_SIGNALS:
    // A plan arrived for the current choices (or planning failed).
    void planChanged();
    // The user pressed Import; the dialog closes.
    void importRequested(const fieldmark::AnnotationImportPlan &plan,
                         const fieldmark::AnnotationImportOptions &options);

private:
    void fillFormats();
    void formatChanged();
    void choicesChanged();
    void startPlan();
    void planFinished();
    void showPlan();
    void updateImportButton();
    void browse();
    QString shortWhere(const QString &where) const;

    std::shared_ptr<const FormatRegistry> m_formats;
    QString m_projectDirectory;
    QList<LabelTask> m_tasks;
    QThreadPool *m_pool = nullptr;
    QString m_startFolder;

    quint64 m_generation = 0;
    // Read by the worker's progress callback, which stops a plan that is no longer wanted.
    std::shared_ptr<std::atomic<quint64>> m_wantedGeneration;
    QFutureWatcher<AnnotationImportPlanOutcome> *m_watcher = nullptr;
    QTimer *m_planTimer = nullptr;
    std::optional<AnnotationImportPlan> m_plan;
    QString m_planError;
    QString m_blockReason;

    QComboBox *m_formatCombo = nullptr;
    QLineEdit *m_pathEdit = nullptr;
    QPushButton *m_browseButton = nullptr;
    QComboBox *m_taskCombo = nullptr;
    QLabel *m_taskNote = nullptr;
    QCheckBox *m_addItemsCheck = nullptr;
    QCheckBox *m_addClassesCheck = nullptr;
    QCheckBox *m_validPartCheck = nullptr;
    QGroupBox *m_planBox = nullptr;
    QLabel *m_planLabel = nullptr;
    QWidget *m_countsWidget = nullptr;
    QLabel *m_matchedLabel = nullptr;
    QLabel *m_missingLabel = nullptr;
    QLabel *m_annotationsLabel = nullptr;
    QLabel *m_skippedLabel = nullptr;
    QLabel *m_presentLabel = nullptr;
    QLabel *m_unknownLabel = nullptr;
    QLabel *m_problemsTitle = nullptr;
    QTableWidget *m_problemTable = nullptr;
    QLabel *m_blockLabel = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace fieldmark
