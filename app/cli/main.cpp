#include "cliapp.h"

#include <QCoreApplication>
#include <QLoggingCategory>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    // Decoder chatter ("libpng warning: iCCP ...") names no file and changes nothing: the
    // import reports every file it skips, with the reason, itself.
    QLoggingCategory::setFilterRules(QStringLiteral("qt.gui.imageio.info=false"));
    QCoreApplication::setApplicationName(QStringLiteral("fieldmark-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("Fieldmark"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FIELDMARK_VERSION));
    fieldmark::CliApp cli(QCoreApplication::arguments());
    return cli.run();
}
