#include "mainwindow.h"

#include "annotationimportcontroller.h"
#include "appinfo.h"
#include "browser/itembrowser.h"
#include "browser/itemlistmodel.h"
#include "browser/thumbnailprovider.h"
#include "canvas/imageeditor.h"
#include "dialogs/newprojectdialog.h"
#include "dialogs/shortcutsdialog.h"
#include "editorcontroller.h"
#include "exportcontroller.h"
#include "importcontroller.h"
#include "labeling/labelingjobpanel.h"
#include "labels/labelpanel.h"
#include "preview/itempreview.h"
#include "recentprojects.h"
#include "tasks/taskpanel.h"
#include "text/texteditor.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QImageReader>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>

namespace fieldmark {

namespace {

const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
const QString kImportFolderKey = QStringLiteral("import/lastFolder");

QString nativePath(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

} // namespace

MainWindow::MainWindow(QSettings &settings, QWidget *parent)
    : QMainWindow(parent)
    , m_settings(settings)
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowIcon(applicationIcon());

    m_thumbnails = new ThumbnailProvider(this);
    m_itemModel = new ItemListModel(m_thumbnails, this);
    m_preview = new ItemPreview(this);
    m_imageEditor = new ImageEditor(this);
    m_imageEditor->setObjectName(QStringLiteral("imageEditor"));
    m_textEditor = new TextEditor(this);
    m_textEditor->setObjectName(QStringLiteral("textEditor"));
    auto *centre = new QStackedWidget(this);
    centre->addWidget(m_preview);
    centre->addWidget(m_imageEditor);
    centre->addWidget(m_textEditor);
    setCentralWidget(centre);
    m_import = new ImportController(this);
    m_export = new ExportController(m_formats, m_settings, this);
    m_annotationImport = new AnnotationImportController(m_formats, m_settings, this);
    m_labelingJob = new LabelingJobController(this);

    createActions();
    createMenus();
    createDocks();

    createEditor();

    m_projectLabel = new QLabel(this);
    m_projectLabel->setObjectName(QStringLiteral("projectLabel"));
    m_projectLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_countLabel = new QLabel(this);
    m_countLabel->setObjectName(QStringLiteral("countLabel"));
    statusBar()->addPermanentWidget(m_projectLabel, 1);
    statusBar()->addPermanentWidget(m_editor->cursorLabel());
    statusBar()->addPermanentWidget(m_editor->zoomLabel());
    statusBar()->addPermanentWidget(m_countLabel);

    const auto showStatus = [this](const QString &message) {
        statusBar()->showMessage(message, 10000);
    };
    const auto jobRunningChanged = [this](bool running) {
        updateProjectState();
        if (!running && m_closeAfterJobs)
            close();
    };
    connect(m_import, &ImportController::itemsImported, this, &MainWindow::projectContentChanged);
    connect(m_import, &ImportController::statusMessage, this, showStatus);
    connect(m_import, &ImportController::runningChanged, this, jobRunningChanged);
    connect(m_export, &ExportController::statusMessage, this, showStatus);
    connect(m_export, &ExportController::runningChanged, this, jobRunningChanged);
    connect(m_annotationImport, &AnnotationImportController::annotationsImported, this, [this] {
        projectContentChanged();
        // Imported labels may be on the item being edited.
        m_editor->reloadDocument();
        m_labelingJob->labelsChanged();
    });
    // Each label may complete the job's batch; the machine labels it writes show everywhere.
    connect(m_editor, &EditorController::itemEdited, m_labelingJob,
            &LabelingJobController::labelsChanged);
    connect(m_labelingJob, &LabelingJobController::iterationApplied, this,
            [this, showStatus](const IterationSummary &summary) {
                projectContentChanged();
                m_editor->reloadDocument();
                showStatus(tr("Labeling job: iteration %1 added %n machine label(s).", nullptr,
                              int(summary.machineLabeled))
                               .arg(summary.record.number));
            });
    connect(m_labelingJob, &LabelingJobController::failed, this,
            [showStatus](const QString &m) { showStatus(tr("Labeling job paused: %1").arg(m)); });
    connect(m_annotationImport, &AnnotationImportController::statusMessage, this, showStatus);
    connect(m_annotationImport, &AnnotationImportController::runningChanged, this,
            jobRunningChanged);

    resize(1200, 800);
    restoreLayout();
    updateProjectState();
}

MainWindow::~MainWindow()
{
    // The views hold raw pointers to the store; let them go first.
    m_labelingJob->setStore(nullptr);
    m_editor->setStore(nullptr);
    m_itemModel->setStore(nullptr);
    m_taskPanel->setStore(nullptr);
}

void MainWindow::setLearnerFactory(LabelingJobController::LearnerFactory factory)
{
    m_labelingJob->setLearnerFactory(std::move(factory));
}

QString MainWindow::projectDirectory() const
{
    return m_store ? m_store->directory() : QString();
}

QAction *MainWindow::action(const QString &objectName) const
{
    return findChild<QAction *>(objectName);
}

void MainWindow::createActions()
{
    auto make = [this](const QString &name, const QString &text, const QIcon &icon,
                       const QList<QKeySequence> &keys, void (MainWindow::*slot)()) {
        auto *action = new QAction(icon, text, this);
        action->setObjectName(name);
        action->setShortcuts(keys);
        if (slot)
            connect(action, &QAction::triggered, this, slot);
        return action;
    };
    m_newAction = make(QStringLiteral("actionNewProject"), tr("&New Project\u2026"),
                       themeIcon(QStringLiteral("document-new"), QStyle::SP_FileIcon),
                       QKeySequence::keyBindings(QKeySequence::New), &MainWindow::newProject);
    m_openAction = make(QStringLiteral("actionOpenProject"), tr("&Open Project\u2026"),
                        themeIcon(QStringLiteral("document-open"), QStyle::SP_DialogOpenButton),
                        QKeySequence::keyBindings(QKeySequence::Open), &MainWindow::chooseProject);
    m_importImagesAction = make(QStringLiteral("actionImportImages"), tr("Import &Images\u2026"),
                                themeIcon(QStringLiteral("insert-image"), -1),
                                {QKeySequence(Qt::CTRL | Qt::Key_I)}, &MainWindow::importImages);
    m_importImageFolderAction =
        make(QStringLiteral("actionImportImageFolder"), tr("Import Image &Folder\u2026"),
             themeIcon(QStringLiteral("folder-pictures"), -1), {}, &MainWindow::importImageFolder);
    m_importTextsAction =
        make(QStringLiteral("actionImportTexts"), tr("Import &Texts\u2026"),
             themeIcon(QStringLiteral("insert-text"), -1),
             {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I)}, &MainWindow::importTexts);
    m_importTextFolderAction =
        make(QStringLiteral("actionImportTextFolder"), tr("Import Te&xt Folder\u2026"),
             themeIcon(QStringLiteral("folder-documents"), -1), {}, &MainWindow::importTextFolder);
    m_importAnnotationsAction =
        make(QStringLiteral("actionImportAnnotations"), tr("Import &Annotations\u2026"),
             themeIcon(QStringLiteral("document-import"), -1), {}, &MainWindow::importAnnotations);
    m_importAnnotationsAction->setToolTip(
        tr("Read labels from a COCO, YOLO or other annotation file into a task"));
    // No platform binds a key to Export; Ctrl+E is what GIMP and Krita users reach for.
    m_exportAction = make(QStringLiteral("actionExport"), tr("&Export\u2026"),
                          themeIcon(QStringLiteral("document-export"), -1),
                          {QKeySequence(Qt::CTRL | Qt::Key_E)}, &MainWindow::exportAnnotations);
    m_exportAction->setToolTip(tr("Write a task's labels in a training format such as COCO or "
                                  "YOLO, and say first what the format would lose"));
    for (QAction *action : {m_importAnnotationsAction, m_exportAction})
        action->setStatusTip(action->toolTip());
    m_closeAction = make(QStringLiteral("actionCloseProject"), tr("&Close Project"),
                         themeIcon(QStringLiteral("document-close"), -1),
                         QKeySequence::keyBindings(QKeySequence::Close), nullptr);
    connect(m_closeAction, &QAction::triggered, this, [this] {
        closeProject();
        RecentProjects(m_settings).setLastProject({});
    });
    // Some platforms (and the offscreen one) bind no key to Quit; Ctrl+Q is what users expect.
    QList<QKeySequence> quitKeys = QKeySequence::keyBindings(QKeySequence::Quit);
    if (quitKeys.isEmpty())
        quitKeys = {QKeySequence(Qt::CTRL | Qt::Key_Q)};
    m_quitAction = make(QStringLiteral("actionQuit"), tr("&Quit"),
                        themeIcon(QStringLiteral("application-exit"), -1), quitKeys, nullptr);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_fullScreenAction = make(QStringLiteral("actionFullScreen"), tr("&Full Screen"),
                              themeIcon(QStringLiteral("view-fullscreen"), -1),
                              QKeySequence::keyBindings(QKeySequence::FullScreen), nullptr);
    m_fullScreenAction->setCheckable(true);
    connect(m_fullScreenAction, &QAction::toggled, this,
            [this](bool on) { on ? showFullScreen() : showNormal(); });

    m_shortcutsAction = make(QStringLiteral("actionShortcuts"), tr("&Keyboard Shortcuts"),
                             themeIcon(QStringLiteral("help-contents"), -1),
                             QKeySequence::keyBindings(QKeySequence::HelpContents) +
                                 QList<QKeySequence>{QKeySequence(Qt::Key_Question)},
                             &MainWindow::showShortcuts);
    m_aboutAction = make(QStringLiteral("actionAbout"), tr("&About Fieldmark"),
                         themeIcon(QStringLiteral("help-about"), -1), {}, &MainWindow::showAbout);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    m_aboutQtAction = make(QStringLiteral("actionAboutQt"), tr("About &Qt"), QIcon(), {}, nullptr);
    m_aboutQtAction->setMenuRole(QAction::AboutQtRole);
    connect(m_aboutQtAction, &QAction::triggered, qApp, &QApplication::aboutQt);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_newAction);
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    fillRecentMenu();
    file->addSeparator();
    file->addAction(m_importImagesAction);
    file->addAction(m_importImageFolderAction);
    file->addAction(m_importTextsAction);
    file->addAction(m_importTextFolderAction);
    file->addAction(m_importAnnotationsAction);
    file->addSeparator();
    file->addAction(m_exportAction);
    file->addSeparator();
    file->addAction(m_closeAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->setObjectName(QStringLiteral("editMenu"));
    QMenu *tools = menuBar()->addMenu(tr("&Tools"));
    tools->setObjectName(QStringLiteral("toolsMenu"));
    QMenu *label = menuBar()->addMenu(tr("&Label"));
    label->setObjectName(QStringLiteral("labelMenu"));
    QMenu *go = menuBar()->addMenu(tr("&Go"));
    go->setObjectName(QStringLiteral("goMenu"));
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_shortcutsAction);
    help->addSeparator();
    help->addAction(m_aboutAction);
    help->addAction(m_aboutQtAction);
    m_menus = {file, edit, tools, label, go, view, help};
}

void MainWindow::createDocks()
{
    m_browser = new ItemBrowser(m_itemModel, this);
    m_itemsDock = new QDockWidget(tr("Items"), this);
    m_itemsDock->setObjectName(QStringLiteral("itemsDock"));
    m_itemsDock->setWidget(m_browser);
    addDockWidget(Qt::LeftDockWidgetArea, m_itemsDock);

    m_taskPanel = new TaskPanel(this);
    m_taskDock = new QDockWidget(tr("Task"), this);
    m_taskDock->setObjectName(QStringLiteral("taskDock"));
    m_taskDock->setWidget(m_taskPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_taskDock);
    m_labelPanel = new LabelPanel(this);
    m_labelsDock = new QDockWidget(tr("Labels"), this);
    m_labelsDock->setObjectName(QStringLiteral("labelsDock"));
    m_labelsDock->setWidget(m_labelPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_labelsDock);
    m_labelingJobPanel = new LabelingJobPanel(m_labelingJob, this);
    m_labelingJobDock = new QDockWidget(tr("Labeling Job"), this);
    m_labelingJobDock->setObjectName(QStringLiteral("labelingJobDock"));
    m_labelingJobDock->setWidget(m_labelingJobPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_labelingJobDock);
    connect(m_taskPanel, &TaskPanel::currentTaskChanged, m_labelingJobPanel,
            &LabelingJobPanel::setCurrentTaskId);
    // Labels are used all the time, the task's progress and the job now and then: tabs, labels
    // in front.
    tabifyDockWidget(m_labelsDock, m_taskDock);
    tabifyDockWidget(m_taskDock, m_labelingJobDock);
    m_labelsDock->raise();
    resizeDocks({m_itemsDock, m_labelsDock}, {300, 320}, Qt::Horizontal);

    QMenu *view = m_menus.value(5);
    QAction *items = m_itemsDock->toggleViewAction();
    items->setText(tr("&Items Panel"));
    items->setShortcut(QKeySequence(Qt::ALT | Qt::Key_1));
    QAction *task = m_taskDock->toggleViewAction();
    task->setText(tr("&Task Panel"));
    task->setShortcut(QKeySequence(Qt::ALT | Qt::Key_2));
    QAction *labels = m_labelsDock->toggleViewAction();
    labels->setText(tr("&Labels Panel"));
    labels->setShortcut(QKeySequence(Qt::ALT | Qt::Key_3));
    view->addAction(items);
    view->addAction(task);
    view->addAction(labels);
    QAction *job = m_labelingJobDock->toggleViewAction();
    job->setText(tr("Labeling &Job Panel"));
    job->setShortcut(QKeySequence(Qt::ALT | Qt::Key_4));
    view->addAction(job);
    view->addSeparator();
    view->addAction(m_fullScreenAction);
}

void MainWindow::createEditor()
{
    auto *centre = qobject_cast<QStackedWidget *>(centralWidget());
    m_editor = new EditorController(m_settings,
                                    EditorController::Views{m_browser, m_itemModel, m_preview,
                                                            m_labelPanel, m_taskPanel, statusBar(),
                                                            centre, m_imageEditor, m_textEditor},
                                    this);
    QMenu *view = m_menus.value(5);
    m_editor->fillMenus(m_menus.value(1), m_menus.value(2), m_menus.value(3), m_menus.value(4),
                        view);

    auto *toolBar = addToolBar(tr("Main Toolbar"));
    toolBar->setObjectName(QStringLiteral("mainToolBar"));
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    const QList<QAction *> mainActions = m_editor->toolBarActions();
    for (QAction *action : mainActions) {
        if (action)
            toolBar->addAction(action);
        else
            toolBar->addSeparator();
    }
    auto *toolsBar = addToolBar(tr("Tools"));
    toolsBar->setObjectName(QStringLiteral("toolsToolBar"));
    toolsBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolsBar->addActions(m_editor->toolActions());
    view->addSeparator();
    view->addAction(toolBar->toggleViewAction());
    view->addAction(toolsBar->toggleViewAction());

    // Every action's tooltip names its keys (the class keys get theirs as they are made).
    const QList<QAction *> actions = findChildren<QAction *>();
    for (QAction *action : actions)
        ShortcutsDialog::showShortcutInToolTip(action);
}

void MainWindow::restoreLayout()
{
    restoreGeometry(m_settings.value(kGeometryKey).toByteArray());
    restoreState(m_settings.value(kStateKey).toByteArray());
}

void MainWindow::saveLayout()
{
    m_settings.setValue(kGeometryKey, saveGeometry());
    m_settings.setValue(kStateKey, saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_import->isRunning() || m_export->isRunning() || m_annotationImport->isRunning()) {
        // Let the jobs stop where they can and close then; nothing waits on the GUI thread.
        m_closeAfterJobs = true;
        m_import->cancel();
        m_export->cancel();
        m_annotationImport->cancel();
        event->ignore();
        return;
    }
    saveLayout();
    if (m_store)
        RecentProjects(m_settings).setLastProject(m_store->directory());
    m_settings.sync();
    event->accept();
}

bool MainWindow::openProject(const QString &path)
{
    if (isWriting()) {
        showError(tr("Open Project"), tr("Wait for the import to finish, or cancel it, "
                                         "before opening another project."));
        return false;
    }
    const QString directory = RecentProjects::projectDirectoryFor(path);
    auto opened = ProjectStore::open(directory);
    if (!opened) {
        if (!RecentProjects::looksLikeProject(directory))
            RecentProjects(m_settings).remove(directory);
        showError(tr("Cannot Open Project"), tr("Fieldmark cannot open the project in %1.\n\n%2")
                                                 .arg(nativePath(directory), opened.errorString()));
        return false;
    }
    setStore(std::move(opened).value());
    return true;
}

bool MainWindow::createProject(const QString &directory, const QString &taskName, TaskType type,
                               const QStringList &classNames)
{
    if (isWriting())
        return false;
    auto created = ProjectStore::create(directory);
    if (!created) {
        showError(tr("Cannot Create Project"),
                  tr("Fieldmark cannot create a project in %1.\n\n%2")
                      .arg(nativePath(directory), created.errorString()));
        return false;
    }
    std::unique_ptr<ProjectStore> store = std::move(created).value();
    if (auto task = store->addTask(taskName, type, classNames); !task) {
        showError(tr("Cannot Create Project"),
                  tr("The project in %1 was created, but its task was not.\n\n%2")
                      .arg(nativePath(directory), task.errorString()));
    }
    setStore(std::move(store));
    return true;
}

void MainWindow::closeProject()
{
    if (isWriting())
        return;
    setStore(nullptr);
}

void MainWindow::setStore(std::unique_ptr<ProjectStore> store)
{
    // Views drop the old store before it is destroyed; the open document goes first.
    m_labelingJob->setStore(nullptr);
    m_editor->setStore(nullptr);
    m_itemModel->setStore(nullptr);
    m_taskPanel->setStore(nullptr);
    m_store = std::move(store);
    m_thumbnails->setCacheDirectory(m_store ? m_store->cacheDirectory() : QString());
    m_itemModel->setStore(m_store.get());
    m_taskPanel->setStore(m_store.get());
    if (m_store) {
        RecentProjects recent(m_settings);
        recent.add(m_store->directory());
        recent.setLastProject(m_store->directory());
        if (m_itemModel->rowCount() > 0)
            m_browser->view()->setCurrentIndex(m_itemModel->index(0));
    }
    updateProjectState();
    m_editor->setStore(m_store.get());
    m_labelingJobPanel->setCurrentTaskId(m_taskPanel->currentTaskId());
    // A job that was running goes on where it stood.
    m_labelingJob->setStore(m_store.get());
    // The keys go to the work, not to the search box that happens to come first.
    if (m_store)
        m_browser->view()->setFocus(Qt::OtherFocusReason);
}

void MainWindow::updateProjectState()
{
    const bool open = m_store != nullptr;
    const bool idle = !isWriting();
    m_newAction->setEnabled(idle);
    m_openAction->setEnabled(idle);
    m_recentMenu->setEnabled(idle);
    m_closeAction->setEnabled(open && idle);
    for (QAction *action : {m_importImagesAction, m_importImageFolderAction, m_importTextsAction,
                            m_importTextFolderAction, m_importAnnotationsAction})
        action->setEnabled(open && idle);
    m_exportAction->setEnabled(open && !m_export->isRunning());

    if (!open) {
        setWindowTitle(tr("Fieldmark"));
        m_projectLabel->setText(tr("No project open"));
        m_projectLabel->setToolTip({});
        m_countLabel->clear();
        return;
    }
    const QString directory = m_store->directory();
    setWindowTitle(tr("%1 \u2014 Fieldmark").arg(QFileInfo(directory).fileName()));
    m_projectLabel->setText(nativePath(directory));
    m_projectLabel->setToolTip(nativePath(m_store->databasePath()));
    const QLocale locale;
    const qint64 images = m_store->itemCount(ItemKind::Image);
    const qint64 texts = m_store->itemCount(ItemKind::Text);
    m_countLabel->setText(
        tr("%1 items (%2 images, %3 texts)")
            .arg(locale.toString(images + texts), locale.toString(images), locale.toString(texts)));
}

bool MainWindow::isWriting() const
{
    return m_import->isRunning() || m_annotationImport->isRunning();
}

void MainWindow::projectContentChanged()
{
    m_itemModel->refresh();
    m_taskPanel->refresh();
    if (m_store)
        m_browser->setStatus(m_store->taskStatus(m_taskPanel->currentTaskId()));
    updateProjectState();
    if (m_browser->currentItemId() == 0 && m_itemModel->rowCount() > 0)
        m_browser->view()->setCurrentIndex(m_itemModel->index(0));
    // Imported labels may be on the item being edited.
}

bool MainWindow::importSources(const QList<ImportSource> &sources)
{
    if (!m_store)
        return false;
    return m_import->start(m_store->directory(), sources);
}

void MainWindow::showError(const QString &title, const QString &text)
{
    // open(), not exec(): callers (and tests) go on; the box is window-modal.
    auto *box = new QMessageBox(QMessageBox::Critical, title, text, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("errorBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::newProject()
{
    auto *dialog = new NewProjectDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        createProject(dialog->directory(), dialog->taskName(), dialog->taskType(),
                      dialog->classNames());
    });
    dialog->open();
}

void MainWindow::chooseProject()
{
    const QString start =
        m_store ? QFileInfo(m_store->directory()).absolutePath() : QDir::homePath();
    const QString directory =
        QFileDialog::getExistingDirectory(this, tr("Open Project Folder"), start);
    if (!directory.isEmpty())
        openProject(directory);
}

void MainWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    const QStringList paths = RecentProjects(m_settings).paths();
    for (int i = 0; i < paths.size(); ++i) {
        const QString &path = paths.at(i);
        // "&1 name", so the first nine open from the keyboard.
        const QString text =
            i < 9 ? QStringLiteral("&%1 %2").arg(i + 1).arg(nativePath(path)) : nativePath(path);
        QAction *action = m_recentMenu->addAction(text);
        action->setEnabled(RecentProjects::looksLikeProject(path));
        connect(action, &QAction::triggered, this, [this, path] { openProject(path); });
    }
    if (paths.isEmpty()) {
        m_recentMenu->addAction(tr("No recent projects"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    connect(m_recentMenu->addAction(tr("&Clear List")), &QAction::triggered, this,
            [this] { RecentProjects(m_settings).clear(); });
}

QString MainWindow::lastImportFolder() const
{
    const QString folder = m_settings.value(kImportFolderKey).toString();
    return QFileInfo(folder).isDir() ? folder : QDir::homePath();
}

void MainWindow::setLastImportFolder(const QString &path)
{
    const QFileInfo info(path);
    m_settings.setValue(kImportFolderKey,
                        info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

void MainWindow::importImages()
{
    QStringList patterns;
    for (const char *suffix : {"jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp"})
        patterns.append(QStringLiteral("*.") + QString::fromLatin1(suffix));
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Import Images"), lastImportFolder(),
        tr("Images (%1);;All files (*)").arg(patterns.join(QLatin1Char(' '))));
    if (files.isEmpty())
        return;
    setLastImportFolder(files.constFirst());
    importSources({{ImportSource::Kind::Images, files}});
}

void MainWindow::importImageFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("Import All Images in a Folder"), lastImportFolder());
    if (folder.isEmpty())
        return;
    setLastImportFolder(folder);
    importSources({{ImportSource::Kind::Images, {folder}}});
}

void MainWindow::importTexts()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Import Texts"), lastImportFolder(),
        tr("Texts (*.jsonl *.ndjson *.json *.csv *.txt);;JSON Lines (*.jsonl *.ndjson *.json);;"
           "CSV (*.csv);;Plain text, one item per file (*.txt);;All files (*)"));
    if (files.isEmpty())
        return;
    setLastImportFolder(files.constFirst());
    importSources(ImportController::textSources(files));
}

void MainWindow::importTextFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("Import All .txt Files in a Folder"), lastImportFolder());
    if (folder.isEmpty())
        return;
    setLastImportFolder(folder);
    importSources({{ImportSource::Kind::TextFiles, {folder}}});
}

void MainWindow::exportAnnotations()
{
    if (m_store)
        m_export->openDialog(*m_store, m_taskPanel->currentTaskId());
}

void MainWindow::importAnnotations()
{
    if (m_store && !isWriting())
        m_annotationImport->openDialog(*m_store, m_taskPanel->currentTaskId());
}

void MainWindow::showShortcuts()
{
    if (auto *open = findChild<ShortcutsDialog *>()) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto *dialog = new ShortcutsDialog(m_menus, this);
    dialog->addGroup(tr("Items Panel"), m_browser->actions());
    // What the canvas does with keys and the mouse beyond its actions.
    dialog->addRows(tr("Canvas"), {{tr("Zoom"), tr("Mouse wheel")},
                                   {tr("Pan"), tr("Middle button drag, or Space + drag")},
                                   {tr("Add to the selection"), tr("Ctrl+click, Shift+click")},
                                   {tr("Nudge the selection"), tr("Arrow keys (Shift: 10 pixels)")},
                                   {tr("Close a polygon"), tr("Return, or click its first point")},
                                   {tr("Remove the last polygon point"), tr("Backspace")},
                                   {tr("Brush size"), tr("[ and ]")},
                                   {tr("Cancel the shape being drawn"), tr("Esc")}});
    // The text editor's keys while the text has the focus.
    dialog->addRows(tr("Text"),
                    {{tr("Select text"), tr("Drag, double-click a word, or Shift+arrows "
                                            "(Ctrl: word by word)")},
                     {tr("Make the selection a span"), tr("A class key (1\u20139, 0)")},
                     {tr("Select the next / previous span"), tr("Tab / Shift+Tab, or click it")},
                     {tr("Change the selected span's class"), tr("A class key")},
                     {tr("Move a selected span's end"), tr("Drag either end")},
                     {tr("Find in the text"), tr("Ctrl+F; Enter / Shift+Enter for the next / "
                                                 "previous match")},
                     {tr("Clear the selection"), tr("Esc")}});
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::showAbout()
{
    QStringList formats;
    const QList<QByteArray> supported = QImageReader::supportedImageFormats();
    for (const QByteArray &format : supported)
        formats.append(QString::fromLatin1(format));
    const QString text =
        tr("<h3>Fieldmark %1</h3>"
           "<p>Desktop annotation of images and texts, with built-in auto-labeling.</p>"
           "<p>Qt %2 (built against %3)<br>Project format version %4<br>"
           "Image formats: %5</p>")
            .arg(applicationVersionString(), QString::fromLatin1(qVersion()),
                 QStringLiteral(QT_VERSION_STR))
            .arg(ProjectStore::currentSchemaVersion())
            .arg(formats.join(QStringLiteral(", ")));
    auto *box = new QMessageBox(this);
    box->setObjectName(QStringLiteral("aboutBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(tr("About Fieldmark"));
    box->setIconPixmap(applicationIcon().pixmap(64, 64));
    box->setTextFormat(Qt::RichText);
    box->setText(text);
    box->open();
}

} // namespace fieldmark
