#pragma once

#include "core/formats/formatregistry.h"
#include "core/model/labeltask.h"
#include "core/store/projectstore.h"
#include "ui/labeling/labelingjobcontroller.h"

#include <QMainWindow>
#include <QSettings>

#include <memory>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;

namespace fieldmark {

class AnnotationImportController;
class EditorController;
class ImageEditor;
class TextEditor;
class ExportController;
class ImportController;
class ItemBrowser;
class ItemListModel;
class ItemPreview;
class LabelPanel;
class LabelingJobPanel;
class TaskPanel;
class ThumbnailProvider;
struct ImportSource;
struct ImportSummary;

// The main window: menus, the item browser (left), the current item (centre) and the task
// and labels (right) over one open project. Project life cycle lives here; editing the current
// item, importing items, exporting and importing annotations live in their controllers.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // The settings hold the window layout and the recent projects; tests pass their own file.
    explicit MainWindow(QSettings &settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens the project in the folder (or the folder of the given project.fieldmark). On
    // failure a message box names the folder and the reason, and the open project stays.
    bool openProject(const QString &path);
    // Creates a project with a first task; the same messages as openProject.
    bool createProject(const QString &directory, const QString &taskName, TaskType type,
                       const QStringList &classNames);
    void closeProject();
    // Imports into the open project in the background; false if none is open or one is busy.
    bool importSources(const QList<ImportSource> &sources);

    // How the labeling job gets its learners (the application passes createLearner).
    void setLearnerFactory(LabelingJobController::LearnerFactory factory);

    ProjectStore *store() const { return m_store.get(); }
    QString projectDirectory() const;
    ItemListModel *itemModel() const { return m_itemModel; }
    ItemBrowser *browser() const { return m_browser; }
    ItemPreview *preview() const { return m_preview; }
    ImageEditor *imageEditor() const { return m_imageEditor; }
    TextEditor *textEditor() const { return m_textEditor; }
    TaskPanel *taskPanel() const { return m_taskPanel; }
    LabelPanel *labelPanel() const { return m_labelPanel; }
    EditorController *editor() const { return m_editor; }
    ImportController *importController() const { return m_import; }
    ExportController *exportController() const { return m_export; }
    AnnotationImportController *annotationImportController() const { return m_annotationImport; }
    LabelingJobController *labelingJob() const { return m_labelingJob; }
    LabelingJobPanel *labelingJobPanel() const { return m_labelingJobPanel; }
    const FormatRegistry &formats() const { return *m_formats; }
    ThumbnailProvider *thumbnails() const { return m_thumbnails; }
    QLabel *projectLabel() const { return m_projectLabel; }
    QLabel *countLabel() const { return m_countLabel; }
    QAction *action(const QString &objectName) const;

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createDocks();
    void createEditor();
    void restoreLayout();
    void saveLayout();

    void newProject();
    void chooseProject();
    void fillRecentMenu();
    void importImages();
    void importImageFolder();
    void importTexts();
    void importTextFolder();
    void exportAnnotations();
    void importAnnotations();
    void showShortcuts();
    void showAbout();

    void setStore(std::unique_ptr<ProjectStore> store);
    void projectContentChanged();
    // An import or annotation import is writing to the project.
    bool isWriting() const;
    void updateProjectState();
    void showError(const QString &title, const QString &text);
    QString lastImportFolder() const;
    void setLastImportFolder(const QString &path);

    QSettings &m_settings;
    std::unique_ptr<ProjectStore> m_store;
    ThumbnailProvider *m_thumbnails = nullptr;
    ItemListModel *m_itemModel = nullptr;
    ItemBrowser *m_browser = nullptr;
    ItemPreview *m_preview = nullptr;
    ImageEditor *m_imageEditor = nullptr;
    TextEditor *m_textEditor = nullptr;
    TaskPanel *m_taskPanel = nullptr;
    LabelPanel *m_labelPanel = nullptr;
    EditorController *m_editor = nullptr;
    // Shared with the jobs and dialogs, which may finish after the window is gone.
    std::shared_ptr<const FormatRegistry> m_formats =
        std::make_shared<const FormatRegistry>(FormatRegistry::builtIn());
    ImportController *m_import = nullptr;
    ExportController *m_export = nullptr;
    AnnotationImportController *m_annotationImport = nullptr;
    LabelingJobController *m_labelingJob = nullptr;
    LabelingJobPanel *m_labelingJobPanel = nullptr;
    QDockWidget *m_labelingJobDock = nullptr;
    QDockWidget *m_itemsDock = nullptr;
    QDockWidget *m_taskDock = nullptr;
    QDockWidget *m_labelsDock = nullptr;
    QLabel *m_projectLabel = nullptr;
    QLabel *m_countLabel = nullptr;
    QMenu *m_recentMenu = nullptr;
    QList<QMenu *> m_menus;
    bool m_closeAfterJobs = false;

    QAction *m_newAction = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_importImagesAction = nullptr;
    QAction *m_importImageFolderAction = nullptr;
    QAction *m_importTextsAction = nullptr;
    QAction *m_importTextFolderAction = nullptr;
    QAction *m_importAnnotationsAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_closeAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_fullScreenAction = nullptr;
    QAction *m_shortcutsAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_aboutQtAction = nullptr;
};

} // namespace fieldmark
