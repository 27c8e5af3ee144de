#pragma once

#include "core/labeling/labelingjob.h"
#include "core/model/labeltask.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace fieldmark {

// Asks how a new labeling job should run: its name, its task, the policy, the batch and
// validation sizes (0: the policy's), the accuracy machine labels must reach, a limit on
// human labels, and optionally another project whose model it starts from.
class JobSettingsDialog : public QDialog
{
    Q_OBJECT

public:
    JobSettingsDialog(const QList<LabelTask> &tasks, qint64 currentTaskId,
                      const QString &suggestedName, QWidget *parent = nullptr);

    QString name() const;
    qint64 taskId() const;
    JobSettings settings() const;
    // The project whose model the job starts from; empty for a fresh model.
    QString warmStartProject() const;

    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *taskCombo() const { return m_task; }
    QComboBox *policyCombo() const { return m_policy; }
    QSpinBox *batchSpin() const { return m_batch; }
    QSpinBox *validationSpin() const { return m_validation; }
    QDoubleSpinBox *targetSpin() const { return m_target; }
    QSpinBox *maxHumanSpin() const { return m_maxHuman; }
    QLineEdit *warmStartEdit() const { return m_warmStart; }
    QDialogButtonBox *buttons() const { return m_buttons; }

private:
    void updateButtons();

    QLineEdit *m_name = nullptr;
    QComboBox *m_task = nullptr;
    QComboBox *m_policy = nullptr;
    QSpinBox *m_batch = nullptr;
    QSpinBox *m_validation = nullptr;
    QDoubleSpinBox *m_target = nullptr;
    QSpinBox *m_maxHuman = nullptr;
    QLineEdit *m_warmStart = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace fieldmark
