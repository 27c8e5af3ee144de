#include "labelpanel.h"

#include "ui/displaynames.h"
#include "ui/tasks/taskpanel.h"

#include "core/document/itemdocument.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QIcon>
#include <QKeyEvent>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace fieldmark {

namespace {

constexpr int kIdRole = Qt::UserRole;
constexpr int kSpanExcerpt = 40; // characters of a span shown in the list

} // namespace

LabelPanel::LabelPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *classBox = new QGroupBox(tr("Classes"), this);
    m_classList = new QTreeWidget(classBox);
    m_classList->setObjectName(QStringLiteral("labelClasses"));
    m_classList->setRootIsDecorated(false);
    m_classList->setUniformRowHeights(true);
    m_classList->setHeaderLabels({tr("Class"), tr("Key")});
    m_classList->header()->setStretchLastSection(false);
    m_classList->header()->setSectionResizeMode(ClassNameColumn, QHeaderView::Stretch);
    m_classList->header()->setSectionResizeMode(ClassKeyColumn, QHeaderView::ResizeToContents);
    m_classList->setToolTip(tr("The selected class is the one new labels get; the check box "
                               "shows or hides its labels"));
    auto *classLayout = new QVBoxLayout(classBox);
    classLayout->addWidget(m_classList);

    auto *annotationBox = new QGroupBox(tr("Labels on This Item"), this);
    m_annotationList = new QTreeWidget(annotationBox);
    m_annotationList->setObjectName(QStringLiteral("annotationList"));
    m_annotationList->setRootIsDecorated(false);
    m_annotationList->setUniformRowHeights(true);
    m_annotationList->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_annotationList->setHeaderLabels({tr("Label"), tr("Shape"), tr("Source")});
    m_annotationList->header()->setStretchLastSection(false);
    // The class name is what a reviewer reads first: it takes the width; shape and source are
    // short words (the details are in the row's tooltip).
    m_annotationList->header()->setSectionResizeMode(LabelColumn, QHeaderView::Stretch);
    m_annotationList->header()->setSectionResizeMode(ShapeColumn, QHeaderView::ResizeToContents);
    m_annotationList->header()->setSectionResizeMode(SourceColumn, QHeaderView::ResizeToContents);
    m_annotationsTitle = new QLabel(annotationBox);
    m_annotationsTitle->setObjectName(QStringLiteral("annotationSummary"));
    m_annotationsTitle->setWordWrap(true);
    auto *annotationLayout = new QVBoxLayout(annotationBox);
    annotationLayout->addWidget(m_annotationsTitle);
    annotationLayout->addWidget(m_annotationList, 1);

    auto *skipBox = new QGroupBox(tr("Nothing to Label"), this);
    m_skipBox = skipBox;
    m_skipReason = new QLineEdit(skipBox);
    m_skipReason->setObjectName(QStringLiteral("skipReason"));
    m_skipReason->setPlaceholderText(tr("Reason, e.g. blurred or off-topic"));
    m_skipReason->installEventFilter(this);
    m_skipButton = new QPushButton(tr("Mark"), skipBox);
    m_skipButton->setObjectName(QStringLiteral("skipButton"));
    m_skipButton->setCheckable(true);
    m_skipButton->setToolTip(tr("Mark the item as having nothing to label, with the reason"));
    auto *skipLayout = new QHBoxLayout(skipBox);
    skipLayout->addWidget(m_skipReason, 1);
    skipLayout->addWidget(m_skipButton);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(classBox, 2);
    layout->addWidget(annotationBox, 3);
    layout->addWidget(skipBox);

    connect(m_classList, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item && !m_syncing)
            setCurrentClass(item->data(ClassNameColumn, kIdRole).toLongLong());
    });
    connect(m_classList, &QTreeWidget::itemChanged, this, &LabelPanel::classItemChanged);
    connect(m_annotationList, &QTreeWidget::itemSelectionChanged, this,
            &LabelPanel::annotationSelectionChanged);
    connect(m_skipButton, &QPushButton::clicked, this, &LabelPanel::setSkipped);
    connect(m_skipReason, &QLineEdit::returnPressed, this, [this] { setSkipped(true); });
    setTask({});
}

bool LabelPanel::eventFilter(QObject *watched, QEvent *event)
{
    // Return in the reason box marks the item; without this the window's Accept shortcut
    // (Return) would take the key.
    if (watched == m_skipReason && event->type() == QEvent::ShortcutOverride) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter || key == Qt::Key_Escape) {
            event->accept();
            return false;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void LabelPanel::setTask(const LabelTask &task)
{
    m_task = task;
    m_hiddenClasses.clear();
    m_syncing = true;
    m_classList->clear();
    QList<QTreeWidgetItem *> rows;
    for (const LabelClass &labelClass : task.classes) {
        auto *row = new QTreeWidgetItem;
        row->setIcon(ClassNameColumn, TaskPanel::colorSwatch(labelClass.color));
        row->setText(ClassNameColumn, labelClass.name);
        row->setData(ClassNameColumn, kIdRole, labelClass.id);
        row->setFlags(row->flags() | Qt::ItemIsUserCheckable);
        row->setCheckState(ClassNameColumn, Qt::Checked);
        const QKeySequence key(labelClass.shortcut, QKeySequence::PortableText);
        row->setText(ClassKeyColumn, key.toString(QKeySequence::NativeText));
        row->setTextAlignment(ClassKeyColumn, Qt::AlignCenter);
        rows.append(row);
    }
    m_classList->addTopLevelItems(rows);
    m_syncing = false;
    const qint64 keep = task.classById(m_currentClass) ? m_currentClass
                        : task.classes.isEmpty()       ? 0
                                                       : task.classes.constFirst().id;
    // On span tasks "nothing to label" says the text names no entity.
    const bool spans = task.type == TaskType::Spans;
    m_skipBox->setTitle(spans ? tr("No Entities in This Text") : tr("Nothing to Label"));
    m_skipReason->setPlaceholderText(spans ? tr("Optional note; Enter alone marks it")
                                           : tr("Reason, e.g. blurred or off-topic"));
    m_currentClass = -1; // announce the class even when its id is the same
    setCurrentClass(keep);
    fillAnnotations();
}

void LabelPanel::setCurrentClass(qint64 classId)
{
    if (classId == m_currentClass)
        return;
    m_currentClass = classId;
    m_syncing = true;
    for (int i = 0; i < m_classList->topLevelItemCount(); ++i) {
        QTreeWidgetItem *row = m_classList->topLevelItem(i);
        if (row->data(ClassNameColumn, kIdRole).toLongLong() == classId)
            m_classList->setCurrentItem(row);
    }
    m_syncing = false;
    Q_EMIT currentClassChanged(classId);
}

void LabelPanel::classItemChanged(QTreeWidgetItem *item, int column)
{
    if (m_syncing || column != ClassNameColumn)
        return;
    const qint64 classId = item->data(ClassNameColumn, kIdRole).toLongLong();
    const bool visible = item->checkState(ClassNameColumn) == Qt::Checked;
    if (visible == isClassVisible(classId))
        return;
    if (visible)
        m_hiddenClasses.remove(classId);
    else
        m_hiddenClasses.insert(classId);
    Q_EMIT classVisibilityChanged(classId, visible);
}

void LabelPanel::setDocument(ItemDocument *document)
{
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    if (m_document)
        connect(m_document, &ItemDocument::changed, this, &LabelPanel::documentChanged);
    fillAnnotations();
}

void LabelPanel::documentChanged(const ChangeEvent &event)
{
    if (event.kind == ChangeEvent::Kind::SelectionChanged)
        showSelection();
    else if (event.kind == ChangeEvent::Kind::SkipChanged)
        showSkip();
    else
        fillAnnotations();
}

QString LabelPanel::sourceText(const Annotation &annotation)
{
    const Provenance &p = annotation.provenance;
    const QString percent =
        p.confidence ? QLocale().toString(*p.confidence * 100.0, 'f', 0) + QLatin1Char('%')
                     : QString();
    switch (p.state) {
    case LabelState::Human:
        return tr("Person");
    case LabelState::Machine:
        return percent.isEmpty() ? tr("Machine") : tr("Machine %1").arg(percent);
    case LabelState::MachineAccepted:
        return percent.isEmpty() ? tr("Accepted") : tr("Accepted %1").arg(percent);
    case LabelState::MachineEdited:
        return tr("Corrected");
    case LabelState::Rejected:
        return tr("Rejected");
    }
    return {};
}

QString LabelPanel::shapeText(const Annotation &annotation)
{
    if (std::holds_alternative<Box>(annotation.shape))
        return tr("Box");
    if (const auto *polygon = std::get_if<Polygon>(&annotation.shape))
        return tr("Polygon (%1)").arg(polygon->points.size());
    if (std::holds_alternative<Mask>(annotation.shape))
        return tr("Mask");
    if (std::holds_alternative<Span>(annotation.shape))
        return tr("Span");
    return tr("Class");
}

QString LabelPanel::detailText(const Annotation &annotation)
{
    const QLocale locale;
    QString shape;
    if (const auto *box = std::get_if<Box>(&annotation.shape))
        shape = tr("Box %1 \u00d7 %2 at (%3, %4)")
                    .arg(locale.toString(qRound(box->width)), locale.toString(qRound(box->height)),
                         locale.toString(qRound(box->x)), locale.toString(qRound(box->y)));
    else if (const auto *polygon = std::get_if<Polygon>(&annotation.shape))
        shape = tr("Polygon of %1 points").arg(polygon->points.size());
    else if (const auto *mask = std::get_if<Mask>(&annotation.shape))
        shape = tr("Mask of %1 pixels").arg(locale.toString(mask->rle.area()));
    else if (const auto *span = std::get_if<Span>(&annotation.shape))
        shape = tr("Characters %1\u2013%2").arg(span->start).arg(span->end);
    else
        shape = tr("The item's class");
    QString source = labelStateDisplayName(annotation.provenance.state);
    if (annotation.provenance.confidence)
        source += tr(", confidence %1%")
                      .arg(locale.toString(*annotation.provenance.confidence * 100.0, 'f', 1));
    QString text = shape + QLatin1Char('\n') + source;
    if (annotation.provenance.state == LabelState::Machine)
        text += QLatin1Char('\n') + tr("Enter accepts, X rejects");
    return text;
}

QList<qint64> LabelPanel::listedAnnotations() const
{
    QList<qint64> ids;
    for (int i = 0; i < m_annotationList->topLevelItemCount(); ++i)
        ids.append(m_annotationList->topLevelItem(i)->data(LabelColumn, kIdRole).toLongLong());
    return ids;
}

void LabelPanel::fillAnnotations()
{
    m_syncing = true;
    m_annotationList->clear();
    m_syncing = false;
    const bool open = m_document != nullptr;
    m_annotationList->setEnabled(open);
    m_skipButton->setEnabled(open);
    m_skipReason->setEnabled(open);
    if (!open) {
        m_annotationsTitle->setText(tr("No item is open."));
        showSkip();
        return;
    }
    // Machine labels awaiting review come first, least sure first: a reviewer starts where the
    // model most likely erred.
    QList<qint64> order = m_document->awaitingReview();
    // Lookups by id and one swatch per class: a text with 2,000 spans is listed again after
    // every edit, so nothing here may grow with the square of the labels.
    const QList<Annotation> &all = m_document->annotations();
    QHash<qint64, const Annotation *> byId;
    byId.reserve(all.size());
    for (const Annotation &annotation : all)
        byId.insert(annotation.id, &annotation);
    const QSet<qint64> first(order.cbegin(), order.cend());
    for (const Annotation &annotation : all) {
        if (annotation.provenance.state != LabelState::Rejected && !first.contains(annotation.id))
            order.append(annotation.id);
    }
    QHash<qint64, QIcon> swatches;
    QList<QTreeWidgetItem *> rows;
    for (const qint64 id : std::as_const(order)) {
        const Annotation *annotation = byId.value(id);
        if (!annotation)
            continue;
        const LabelClass *labelClass = m_task.classById(annotation->classId);
        auto swatch = swatches.find(annotation->classId);
        if (swatch == swatches.end())
            swatch =
                swatches.insert(annotation->classId,
                                TaskPanel::colorSwatch(labelClass ? labelClass->color : QColor()));
        auto *row = new QTreeWidgetItem;
        row->setData(LabelColumn, kIdRole, id);
        row->setText(LabelColumn,
                     labelClass ? labelClass->name : tr("(class %1)").arg(annotation->classId));
        row->setIcon(LabelColumn, *swatch);
        row->setText(ShapeColumn, shapeText(*annotation));
        if (const auto *span = std::get_if<Span>(&annotation->shape)) {
            // A span reads best as its words.
            const auto [start, end] = m_document->textIndex().spanToUtf16(*span);
            if (start >= 0) {
                QString words = m_document->item().text.mid(start, end - start).simplified();
                if (words.size() > kSpanExcerpt)
                    words = words.left(kSpanExcerpt - 1) + QChar(0x2026);
                row->setText(ShapeColumn, QStringLiteral("“%1”").arg(words));
            }
        }
        row->setText(SourceColumn, sourceText(*annotation));
        const QString details = detailText(*annotation);
        for (int column = 0; column < 3; ++column)
            row->setToolTip(column, details);
        if (annotation->provenance.state == LabelState::Machine) {
            QFont italic = row->font(LabelColumn);
            italic.setItalic(true);
            for (int column = 0; column < 3; ++column)
                row->setFont(column, italic);
        }
        rows.append(row);
    }
    m_syncing = true;
    m_annotationList->addTopLevelItems(rows);
    m_syncing = false;
    const int waiting = int(m_document->awaitingReview().size());
    m_annotationsTitle->setText(
        rows.isEmpty()     ? tr("No labels yet.")
        : rows.size() == 1 ? (waiting > 0 ? tr("1 label, awaiting review") : tr("1 label"))
        : waiting > 0      ? tr("%1 labels, %2 awaiting review").arg(rows.size()).arg(waiting)
                           : tr("%1 labels").arg(rows.size()));
    showSelection();
    showSkip();
}

void LabelPanel::showSelection()
{
    if (!m_document)
        return;
    m_syncing = true;
    const QSet<qint64> &selection = m_document->selection();
    QTreeWidgetItem *first = nullptr;
    for (int i = 0; i < m_annotationList->topLevelItemCount(); ++i) {
        QTreeWidgetItem *row = m_annotationList->topLevelItem(i);
        const bool selected = selection.contains(row->data(LabelColumn, kIdRole).toLongLong());
        row->setSelected(selected);
        if (selected && !first)
            first = row;
    }
    if (first)
        m_annotationList->scrollToItem(first);
    m_syncing = false;
}

void LabelPanel::annotationSelectionChanged()
{
    if (m_syncing || !m_document)
        return;
    QSet<qint64> ids;
    const QList<QTreeWidgetItem *> selected = m_annotationList->selectedItems();
    for (const QTreeWidgetItem *row : selected)
        ids.insert(row->data(LabelColumn, kIdRole).toLongLong());
    m_document->setSelection(ids);
}

void LabelPanel::showSkip()
{
    const QString reason = m_document ? m_document->skipReason() : QString();
    const QSignalBlocker blocker(m_skipButton);
    m_skipButton->setChecked(!reason.isEmpty());
    m_skipButton->setText(reason.isEmpty() ? tr("Mark") : tr("Clear"));
    if (!m_skipReason->hasFocus() || !reason.isEmpty())
        m_skipReason->setText(reason);
}

void LabelPanel::setSkipped(bool skipped)
{
    if (!m_document)
        return;
    QString reason = skipped ? m_skipReason->text().simplified() : QString();
    // On a span task the mark itself is the statement; a note is optional.
    if (skipped && reason.isEmpty() && m_task.type == TaskType::Spans)
        reason = tr("No entities");
    if (skipped && reason.isEmpty()) {
        showSkip();
        focusSkipReason();
        Q_EMIT editFailed(tr("Type the reason there is nothing to label, then press Enter."));
        return;
    }
    if (auto done = m_document->setSkipped(reason); !done)
        Q_EMIT editFailed(done.errorString());
    showSkip();
}

void LabelPanel::focusSkipReason()
{
    m_skipReason->setFocus(Qt::ShortcutFocusReason);
    m_skipReason->selectAll();
}

} // namespace fieldmark
