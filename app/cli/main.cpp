#include "cliapp.h"

#include <QCoreApplication>

#ifndef FIELDMARK_VERSION
#define FIELDMARK_VERSION "0.1.0" // keep in step with project(VERSION) in CMakeLists.txt
#endif

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("fieldmark-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("Fieldmark"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FIELDMARK_VERSION));
    fieldmark::CliApp cli(QCoreApplication::arguments());
    return cli.run();
}
