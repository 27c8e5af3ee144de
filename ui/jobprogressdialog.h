#pragma once

#include "core/formats/format.h"

#include <QProgressDialog>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

class QTimer;

namespace fieldmark {

// What a worker thread reports and the GUI thread reads: how far it has come, and whether the
// user asked it to stop. Shared, because the worker may outlive the dialog that shows it.
struct JobProgressState
{
    std::atomic<qint64> done{0};
    std::atomic<qint64> total{-1};
    std::atomic<bool> cancelRequested{false};

    // The Progress a format or pipeline call takes: it records the counts and says stop once
    // the user cancelled.
    static Progress progressFor(const std::shared_ptr<JobProgressState> &state);
};

// The progress dialog of a background job over files (export, annotation import): not modal,
// shown only when the job takes longer than a moment, updated from a JobProgressState by a
// timer, and Cancel sets the state's flag (the worker stops at its next advance()).
class JobProgressDialog : public QProgressDialog
{
    Q_OBJECT

public:
    // `countText` turns (done, total) into the label, e.g. "Written 3 of 10 items...".
    using CountText = std::function<QString(qint64 done, qint64 total)>;

    JobProgressDialog(std::shared_ptr<JobProgressState> state, const QString &startText,
                      CountText countText, QWidget *parent);

    // Stops updating and hides; the job's end calls it.
    void finish();

private:
    void update();

    std::shared_ptr<JobProgressState> m_state;
    QString m_startText;
    CountText m_countText;
    QTimer *m_timer = nullptr;
};

} // namespace fieldmark
