#pragma once

#include "core/model/labeltask.h"

#include <QDialog>
#include <QStringList>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace fieldmark {

// Asks for what a new project needs: its folder, a first label task (name, type) and the
// task's classes, one per line. Checks as the user types and says what is wrong inline; OK is
// enabled only when the project can be created. Creating it is the caller's job.
class NewProjectDialog : public QDialog
{
    Q_OBJECT

public:
    explicit NewProjectDialog(QWidget *parent = nullptr);

    QString directory() const;
    void setDirectory(const QString &directory);
    QString taskName() const;
    TaskType taskType() const;
    QStringList classNames() const;

    // Why the input cannot make a project; empty when it can.
    QString validationMessage() const { return m_problem; }

    QLineEdit *directoryEdit() const { return m_directoryEdit; }
    QLineEdit *taskNameEdit() const { return m_taskNameEdit; }
    QComboBox *taskTypeCombo() const { return m_taskTypeCombo; }
    QPlainTextEdit *classesEdit() const { return m_classesEdit; }
    QLabel *messageLabel() const { return m_messageLabel; }
    QDialogButtonBox *buttons() const { return m_buttons; }

private:
    void browse();
    void validate();
    QString findProblem() const;

    QLineEdit *m_directoryEdit = nullptr;
    QLineEdit *m_taskNameEdit = nullptr;
    QComboBox *m_taskTypeCombo = nullptr;
    QPlainTextEdit *m_classesEdit = nullptr;
    QLabel *m_messageLabel = nullptr;
    QWidget *m_messageRow = nullptr; // a warning icon and the message
    QDialogButtonBox *m_buttons = nullptr;
    QString m_problem;
};

} // namespace fieldmark
