#include "clirunner.h"

#include <QColor>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QProcess>

namespace fieldmark::test {

std::string CliRun::describe() const
{
    return QStringLiteral("exit %1%2\n--- stdout ---\n%3--- stderr ---\n%4")
        .arg(exitCode)
        .arg(crashed ? QStringLiteral(" (crashed)") : QString())
        .arg(out, err)
        .toStdString();
}

CliRun runCli(const QStringList &arguments)
{
    QProcess process;
    process.setProgram(QString::fromUtf8(FIELDMARK_CLI_PATH));
    process.setArguments(arguments);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start();
    CliRun run;
    if (!process.waitForStarted(10000)) {
        run.err =
            QStringLiteral("cannot start %1: %2").arg(process.program(), process.errorString());
        run.crashed = true;
        return run;
    }
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        run.crashed = true;
    }
    run.crashed = run.crashed || process.exitStatus() != QProcess::NormalExit;
    run.exitCode = process.exitCode();
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

bool writeImage(const QString &path, int width, int height, int seed)
{
    QImage image(width, height, QImage::Format_RGB32);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x)
            image.setPixelColor(x, y,
                                QColor((x * 7 + seed * 31) % 256, (y * 5 + seed * 17) % 256,
                                       (x + y + seed * 13) % 256));
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    return image.save(path);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace fieldmark::test
