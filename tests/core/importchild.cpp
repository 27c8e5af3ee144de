// A separate process for the import tests: imports a folder into a project, slowly if asked,
// so a test can kill it mid-import or run two at once.
#include "core/import/importer.h"
#include "core/store/projectstore.h"

#include <QCoreApplication>
#include <QThread>

#include <cstdio>

using namespace fieldmark;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 5) {
        std::fprintf(stderr, "usage: import_child PROJECT FOLDER BATCH DELAY_MS\n");
        return 2;
    }
    auto store = ProjectStore::open(args[1]);
    if (!store) {
        std::fprintf(stderr, "%s\n", qPrintable(store.errorString()));
        return 2;
    }
    ImportOptions options;
    options.batchSize = args[3].toInt();
    const int delayMs = args[4].toInt();
    Importer importer(**store, options);
    importer.setProgress([delayMs](qint64 done, qint64) {
        std::printf("done %lld\n", static_cast<long long>(done));
        std::fflush(stdout);
        if (done > 0)
            QThread::msleep(delayMs);
    });
    auto summary = importer.importImages({args[2]});
    if (!summary) {
        std::fprintf(stderr, "%s\n", qPrintable(summary.errorString()));
        return 2;
    }
    std::printf("added %lld\n", static_cast<long long>(summary->added));
    return summary->partial() ? 1 : 0;
}
