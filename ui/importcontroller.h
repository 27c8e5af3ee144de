#pragma once

#include "core/import/importer.h"

#include <QFutureWatcher>
#include <QList>
#include <QMessageBox>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <memory>

class QProgressDialog;
class QTimer;
class QWidget;

namespace fieldmark {

struct ImportJobState;

// What to import and how to read it.
struct ImportSource
{
    enum class Kind { Images, TextFiles, Jsonl, Csv };
    Kind kind = Kind::Images;
    QStringList paths; // files or folders for Images and TextFiles; one file for Jsonl and Csv
};

// The outcome of a run over several sources, delivered to the GUI thread by value.
struct ImportOutcome
{
    ImportSummary summary;
    QString error; // the project could not be written; the summary holds what came before
};

// Runs an import from the GUI on a worker thread, with its own ProjectStore on the project's
// folder (a store belongs to the thread that opened it): a progress dialog that can cancel,
// and a summary at the end that lists what was skipped and why. The GUI thread never waits.
class ImportController : public QObject
{
    Q_OBJECT

public:
    explicit ImportController(QWidget *window);
    ~ImportController() override;

    bool isRunning() const { return m_watcher != nullptr; }

    // Starts importing into the project in projectDirectory; false if an import is running.
    bool start(const QString &projectDirectory, const QList<ImportSource> &sources);
    // Stops after the current batch; what was written stays.
    void cancel();

    // Text sources by file suffix: .jsonl/.json lines, .csv rows, anything else one text per file.
    static QList<ImportSource> textSources(const QStringList &files);
    // Runs on the worker thread.
    static ImportOutcome run(const QString &projectDirectory, const QList<ImportSource> &sources,
                             const std::shared_ptr<ImportJobState> &state);

    static QString summaryText(const ImportSummary &summary);
    static QString detailText(const ImportSummary &summary, int maxLines = 1000);

    QProgressDialog *progressDialog() const { return m_progress; }
    // The message box of the last import (summary or error) while it is open.
    QMessageBox *resultBox() const { return m_resultBox; }

Q_SIGNALS:
    void runningChanged(bool running);
    // After every import that wrote something, also a cancelled or failed one.
    void itemsImported(const fieldmark::ImportSummary &summary);
    void statusMessage(const QString &message);

private:
    void updateProgress();
    void finished();
    void showResult(const ImportOutcome &outcome);

    QWidget *m_window = nullptr;
    QFutureWatcher<ImportOutcome> *m_watcher = nullptr;
    std::shared_ptr<ImportJobState> m_state;
    QProgressDialog *m_progress = nullptr;
    QTimer *m_progressTimer = nullptr;
    QPointer<QMessageBox> m_resultBox;
};

} // namespace fieldmark
