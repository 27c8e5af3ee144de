#pragma once

#include "core/formats/exporter.h"
#include "core/model/labeltask.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QThreadPool;
class QTimer;

namespace fieldmark {

class FormatRegistry;

// A plan worked out on a worker thread, tagged with the choices it was made for.
struct ExportPlanOutcome
{
    quint64 generation = 0;
    std::optional<ExportPlan> plan;
    QString error;
};

// File > Export: the task, a format that can carry it, where to write, which labels, an
// optional train / validation / test split and what to do with the images. Below the choices
// it shows what the format would lose; the plan behind it reads the store, so it is worked out
// on a worker thread with its own ProjectStore, and a plan for choices the user has since
// changed is dropped. When something would be lost, Export waits for the user to say they
// understand. Writing is the caller's job: the dialog hands over the plan it showed.
class ExportDialog : public QDialog
{
    Q_OBJECT

public:
    // The registry is shared: a plan still being worked out when the dialog goes, and the
    // plans it hands out, point into it. Planning runs on `pool` (the global pool when null).
    ExportDialog(std::shared_ptr<const FormatRegistry> formats, const QString &projectDirectory,
                 const QList<LabelTask> &tasks, QWidget *parent = nullptr,
                 QThreadPool *pool = nullptr);
    ~ExportDialog() override;

    void setCurrentTask(qint64 taskId);
    bool setFormat(const QString &name);
    // A path the user chose: kept when the format changes (unless it changes between a file
    // and a folder).
    void setOutput(const QString &path);
    // Where a suggested output goes until the user picks one.
    void setDefaultFolder(const QString &folder);

    qint64 taskId() const;
    const Format *format() const;
    QString output() const;
    ExportOptions options() const;

    // True while the plan for the current choices is on its way.
    bool isPlanning() const;
    // The plan for the current choices, once it came; empty while planning or on an error.
    const std::optional<ExportPlan> &plan() const { return m_plan; }
    QString planError() const { return m_planError; }
    // Why Export is disabled, in words; empty when it is enabled.
    QString blockReason() const { return m_blockReason; }

    QComboBox *taskCombo() const { return m_taskCombo; }
    QComboBox *formatCombo() const { return m_formatCombo; }
    QLineEdit *outputEdit() const { return m_outputEdit; }
    QComboBox *labelsCombo() const { return m_labelsCombo; }
    QCheckBox *splitCheck() const { return m_splitCheck; }
    QSpinBox *validationSpin() const { return m_validationSpin; }
    QSpinBox *testSpin() const { return m_testSpin; }
    QSpinBox *seedSpin() const { return m_seedSpin; }
    QComboBox *mediaCombo() const { return m_mediaCombo; }
    QGroupBox *lossBox() const { return m_lossBox; }
    QLabel *planLabel() const { return m_planLabel; }
    QListWidget *lossList() const { return m_lossList; }
    QCheckBox *confirmCheck() const { return m_confirmCheck; }
    QPushButton *exportButton() const;

Q_SIGNALS:
    // A plan arrived for the current choices (or planning failed).
    void planChanged();
    // The user pressed Export on this plan; the dialog closes.
    void exportRequested(const fieldmark::ExportPlan &plan);

private:
    void fillFormats();
    void formatChanged();
    void choicesChanged();
    void startPlan();
    void planFinished();
    void showPlan();
    void updateExportButton();
    void browse();
    void suggestOutput();
    QString outputProblem() const;

    std::shared_ptr<const FormatRegistry> m_formats;
    QString m_projectDirectory;
    QList<LabelTask> m_tasks;
    QThreadPool *m_pool = nullptr;
    QString m_defaultFolder;
    bool m_outputChosen = false;
    bool m_lastFormatWroteFolder = false;

    quint64 m_generation = 0;
    QFutureWatcher<ExportPlanOutcome> *m_watcher = nullptr;
    QTimer *m_planTimer = nullptr;
    std::optional<ExportPlan> m_plan;
    QString m_planError;
    QStringList m_shownLosses;
    QString m_blockReason;

    QFormLayout *m_form = nullptr;
    QComboBox *m_taskCombo = nullptr;
    QComboBox *m_formatCombo = nullptr;
    QLabel *m_formatNote = nullptr;
    QLineEdit *m_outputEdit = nullptr;
    QPushButton *m_browseButton = nullptr;
    QComboBox *m_labelsCombo = nullptr;
    QCheckBox *m_splitCheck = nullptr;
    QSpinBox *m_validationSpin = nullptr;
    QSpinBox *m_testSpin = nullptr;
    QSpinBox *m_seedSpin = nullptr;
    QWidget *m_splitRow = nullptr;
    QComboBox *m_mediaCombo = nullptr;
    QGroupBox *m_lossBox = nullptr;
    QLabel *m_planLabel = nullptr;
    QListWidget *m_lossList = nullptr;
    QCheckBox *m_confirmCheck = nullptr;
    QLabel *m_blockLabel = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace fieldmark
