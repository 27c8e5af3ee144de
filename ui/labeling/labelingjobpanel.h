#pragma once

#include "core/labeling/jobtrainer.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace fieldmark {

class LabelingJobController;

// The "Labeling job" dock: the open project's job, what it waits for ("label 12 more items",
// "training… step 40 of 120"), a progress bar while a model trains, start (with a settings
// dialog), pause and resume, the last error, and the history of its iterations as a table and
// (where Qt Charts is built in) a chart of human against machine labels.
class LabelingJobPanel : public QWidget
{
    Q_OBJECT

public:
    // Columns of the history table.
    enum Column {
        NumberColumn,
        HumanColumn,
        MachineColumn,
        RemainingColumn,
        AccuracyColumn,
        ThresholdColumn,
        SecondsColumn,
        ColumnCount
    };

    explicit LabelingJobPanel(LabelingJobController *controller, QWidget *parent = nullptr);

    // The task a new job is suggested for (the one being edited).
    void setCurrentTaskId(qint64 taskId) { m_currentTaskId = taskId; }
    // Asks for the settings and starts a job; false when cancelled or refused.
    bool startWithDialog();

    QLabel *titleLabel() const { return m_title; }
    QLabel *phaseLabel() const { return m_phase; }
    QLabel *errorLabel() const { return m_error; }
    QProgressBar *progressBar() const { return m_progress; }
    QPushButton *startButton() const { return m_start; }
    QPushButton *pauseButton() const { return m_pause; }
    QPushButton *resumeButton() const { return m_resume; }
    QTableWidget *historyTable() const { return m_history; }
    // Whether the chart of iterations is built in.
    bool hasChart() const;

private:
    void refresh();
    void showProgress(TrainingPhase phase, qint64 step, qint64 total);
    void fillHistory();

    LabelingJobController *m_controller;
    qint64 m_currentTaskId = 0;
    qint64 m_shownJobId = -1; // the job whose history the table shows
    QLabel *m_title = nullptr;
    QLabel *m_phase = nullptr;
    QLabel *m_error = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_resume = nullptr;
    QTableWidget *m_history = nullptr;
    QWidget *m_chart = nullptr;
};

} // namespace fieldmark
