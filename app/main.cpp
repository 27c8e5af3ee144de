// fieldmark: the desktop application. Composition root only: settings, the window, the
// project to open first.
#include "ui/appinfo.h"
#include "ui/mainwindow.h"
#include "ui/recentprojects.h"

#ifdef FIELDMARK_HAVE_LEARN
#include "learn/learners.h"
#include "learn/torchruntime.h"
#endif

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Fieldmark"));
    QApplication::setApplicationName(QStringLiteral("Fieldmark"));
    QApplication::setApplicationDisplayName(QStringLiteral("Fieldmark"));
    QApplication::setApplicationVersion(fieldmark::applicationVersionString());
    QApplication::setDesktopFileName(QStringLiteral("fieldmark"));
    QApplication::setWindowIcon(fieldmark::applicationIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Desktop annotation with built-in auto-labeling."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("project"),
        QApplication::translate("main", "The project folder (or its project.fieldmark) to open."),
        QStringLiteral("[project]"));
    parser.process(app);

    QSettings settings;
    fieldmark::MainWindow window(settings);
#ifdef FIELDMARK_HAVE_LEARN
    // Training leaves the GUI a core.
    fieldmark::configureTorchThreads();
    window.setLearnerFactory(&fieldmark::createLearner);
#endif
    window.show();

    const QStringList arguments = parser.positionalArguments();
    if (!arguments.isEmpty()) {
        window.openProject(arguments.constFirst());
    } else {
        const QString last = fieldmark::RecentProjects(settings).lastProject();
        if (fieldmark::RecentProjects::looksLikeProject(last))
            window.openProject(last);
    }
    return app.exec();
}
