#include "newprojectdialog.h"

#include "ui/appinfo.h"
#include "ui/displaynames.h"
#include "ui/recentprojects.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSet>
#include <QStyle>
#include <QToolButton>

namespace fieldmark {

NewProjectDialog::NewProjectDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("New Project"));

    m_directoryEdit = new QLineEdit(this);
    m_directoryEdit->setObjectName(QStringLiteral("directoryEdit"));
    m_directoryEdit->setPlaceholderText(tr("A new or empty folder"));
    auto *browseButton = new QPushButton(tr("&Browse\u2026"), this);
    auto *directoryRow = new QHBoxLayout;
    directoryRow->addWidget(m_directoryEdit, 1);
    directoryRow->addWidget(browseButton);

    m_taskNameEdit = new QLineEdit(tr("labels"), this);
    m_taskNameEdit->setObjectName(QStringLiteral("taskNameEdit"));

    m_taskTypeCombo = new QComboBox(this);
    m_taskTypeCombo->setObjectName(QStringLiteral("taskTypeCombo"));
    for (const QString &name : taskTypeNames()) {
        const auto type = taskTypeFromName(name);
        if (type)
            m_taskTypeCombo->addItem(taskTypeDisplayName(*type), name);
    }

    m_classesEdit = new QPlainTextEdit(this);
    m_classesEdit->setObjectName(QStringLiteral("classesEdit"));
    m_classesEdit->setPlaceholderText(tr("One class per line, for example:\ncat\ndog"));
    m_classesEdit->setTabChangesFocus(true);

    m_messageLabel = new QLabel(this);
    m_messageLabel->setObjectName(QStringLiteral("validationMessage"));
    m_messageLabel->setWordWrap(true);
    m_messageLabel->setTextFormat(Qt::PlainText);
    m_messageRow = new QWidget(this);
    auto *messageIcon = new QLabel(m_messageRow);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    messageIcon->setPixmap(themeIcon(QStringLiteral("dialog-warning"), QStyle::SP_MessageBoxWarning)
                               .pixmap(iconSize, iconSize));
    messageIcon->setAlignment(Qt::AlignTop);
    auto *messageLayout = new QHBoxLayout(m_messageRow);
    messageLayout->setContentsMargins(0, 0, 0, 0);
    messageLayout->addWidget(messageIcon);
    messageLayout->addWidget(m_messageLabel, 1);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Create"));

    auto *form = new QFormLayout(this);
    form->addRow(tr("&Folder:"), directoryRow);
    form->addRow(tr("&Task name:"), m_taskNameEdit);
    form->addRow(tr("Task t&ype:"), m_taskTypeCombo);
    form->addRow(tr("C&lasses:"), m_classesEdit);
    form->addRow(m_messageRow);
    form->addRow(m_buttons);
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(directoryRow)))
        label->setBuddy(m_directoryEdit);

    connect(browseButton, &QPushButton::clicked, this, &NewProjectDialog::browse);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        validate();
        if (m_problem.isEmpty())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_directoryEdit, &QLineEdit::textChanged, this, &NewProjectDialog::validate);
    connect(m_taskNameEdit, &QLineEdit::textChanged, this, &NewProjectDialog::validate);
    connect(m_classesEdit, &QPlainTextEdit::textChanged, this, &NewProjectDialog::validate);
    validate();
    resize(520, 420);
}

QString NewProjectDialog::directory() const
{
    const QString text = m_directoryEdit->text().trimmed();
    return text.isEmpty() ? QString() : QDir::cleanPath(QDir::fromNativeSeparators(text));
}

void NewProjectDialog::setDirectory(const QString &directory)
{
    m_directoryEdit->setText(QDir::toNativeSeparators(directory));
}

QString NewProjectDialog::taskName() const
{
    return m_taskNameEdit->text().trimmed();
}

TaskType NewProjectDialog::taskType() const
{
    const auto type = taskTypeFromName(m_taskTypeCombo->currentData().toString());
    return type ? *type : TaskType::ImageClassification;
}

QStringList NewProjectDialog::classNames() const
{
    QStringList names;
    const QStringList lines = m_classesEdit->toPlainText().split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        // Blank lines separate nothing; the name itself is checked as typed.
        if (!line.trimmed().isEmpty())
            names.append(line);
    }
    return names;
}

void NewProjectDialog::browse()
{
    const QString chosen =
        QFileDialog::getExistingDirectory(this, tr("Folder for the New Project"),
                                          directory().isEmpty() ? QDir::homePath() : directory());
    if (!chosen.isEmpty())
        setDirectory(chosen);
}

QString NewProjectDialog::findProblem() const
{
    const QString dir = directory();
    if (dir.isEmpty())
        return tr("Choose a folder for the project.");
    const QFileInfo info(dir);
    if (info.exists() && !info.isDir())
        return tr("%1 is a file, not a folder.").arg(QDir::toNativeSeparators(dir));
    if (RecentProjects::looksLikeProject(dir))
        return tr("%1 already holds a Fieldmark project; open it with File \u2192 Open Project.")
            .arg(QDir::toNativeSeparators(dir));
    if (taskName().isEmpty())
        return tr("Give the task a name.");
    if (classNames().isEmpty())
        return tr("Enter at least one class, one per line.");
    QSet<QString> seen;
    const QStringList lines = m_classesEdit->toPlainText().split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString &name = lines.at(i);
        if (name.trimmed().isEmpty())
            continue;
        if (auto valid = validateClassName(name); !valid)
            return tr("Class on line %1: %2").arg(i + 1).arg(valid.errorString());
        if (seen.contains(name))
            return tr("Class \u201c%1\u201d is listed twice (line %2).").arg(name).arg(i + 1);
        seen.insert(name);
    }
    return {};
}

void NewProjectDialog::validate()
{
    m_problem = findProblem();
    m_messageLabel->setText(m_problem);
    m_messageRow->setVisible(!m_problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_problem.isEmpty());
}

} // namespace fieldmark
