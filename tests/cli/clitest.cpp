// Runs fieldmark-cli as a user would, on projects and data made for each test.

#include "clirunner.h"

#include "core/labeling/labelingjob.h"
#include "core/model/annotation.h"
#include "core/store/projectstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

// GoogleTest looks up operator<< for failure messages in the global namespace.
static std::ostream &operator<<(std::ostream &stream, const QString &text)
{
    return stream << text.toStdString();
}

namespace fieldmark::test {
namespace {

class CliTest : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(m_dir.isValid()); }

    QString path(const QString &relative) const { return m_dir.filePath(relative); }

    // A new project with one task; fails the test if init does not succeed.
    QString makeProject(const QString &type = u"image-class"_s,
                        const QString &classes = u"cat,dog"_s)
    {
        const QString project = path(u"project"_s);
        const CliRun run = runCli({u"init"_s, project, u"--type"_s, type, u"--classes"_s, classes});
        EXPECT_EQ(run.exitCode, 0) << run.describe();
        return project;
    }

    QJsonObject statusJson(const QString &project)
    {
        const CliRun run = runCli({u"status"_s, project, u"--json"_s});
        EXPECT_EQ(run.exitCode, 0) << run.describe();
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(run.out.toUtf8(), &error);
        EXPECT_EQ(error.error, QJsonParseError::NoError) << error.errorString() << '\n' << run.out;
        return document.object();
    }

    qint64 itemCount(const QString &project, const QString &kind)
    {
        return statusJson(project).value(u"items"_s).toObject().value(kind).toInteger(-1);
    }

    // Three good images (two PNG, one JPEG) under `folder`.
    void writeGoodImages(const QString &folder)
    {
        ASSERT_TRUE(writeImage(folder + u"/a.png"_s, 32, 24, 1));
        ASSERT_TRUE(writeImage(folder + u"/b.jpg"_s, 40, 30, 2));
        ASSERT_TRUE(writeImage(folder + u"/sub/c.png"_s, 16, 16, 3));
    }

    QTemporaryDir m_dir;
};

// Lines of `text` that start with `prefix`.
QStringList linesStartingWith(const QString &text, const QString &prefix)
{
    QStringList found;
    for (const QString &line : text.split(u'\n')) {
        if (line.startsWith(prefix))
            found.append(line);
    }
    return found;
}

// ---- usage -------------------------------------------------------------------------------------

TEST_F(CliTest, HelpListsTheCommands)
{
    const CliRun run = runCli({u"--help"_s});
    EXPECT_EQ(run.exitCode, 0) << run.describe();
    for (const QString &command : {u"init"_s, u"import"_s, u"status"_s, u"classes"_s})
        EXPECT_TRUE(run.out.contains(u"  "_s + command + u' ')) << command << '\n' << run.out;
    EXPECT_TRUE(run.err.isEmpty()) << run.err;
}

TEST_F(CliTest, EachCommandHasItsOwnHelp)
{
    const QList<std::pair<QString, QString>> commands{{u"init"_s, u"--type"_s},
                                                      {u"import"_s, u"--format"_s},
                                                      {u"status"_s, u"--json"_s},
                                                      {u"classes"_s, u"--color"_s}};
    for (const auto &[command, option] : commands) {
        const CliRun run = runCli({command, u"--help"_s});
        EXPECT_EQ(run.exitCode, 0) << run.describe();
        EXPECT_TRUE(run.out.startsWith(u"Usage: fieldmark-cli "_s + command)) << run.out;
        EXPECT_TRUE(run.out.contains(option)) << run.out;
    }
    EXPECT_EQ(runCli({u"help"_s, u"import"_s}).out, runCli({u"import"_s, u"--help"_s}).out);
}

TEST_F(CliTest, NoCommandOrAnUnknownOneIsAUsageError)
{
    const CliRun none = runCli({});
    EXPECT_EQ(none.exitCode, 2) << none.describe();
    EXPECT_TRUE(none.err.contains(u"Usage:"_s)) << none.err;

    const CliRun unknown = runCli({u"frobnicate"_s});
    EXPECT_EQ(unknown.exitCode, 2) << unknown.describe();
    EXPECT_TRUE(unknown.err.contains(u"unknown command 'frobnicate'"_s)) << unknown.err;
    EXPECT_TRUE(unknown.err.contains(u"Usage:"_s)) << unknown.err;
    EXPECT_TRUE(unknown.out.isEmpty()) << unknown.out;
}

TEST_F(CliTest, UnknownOptionOrMissingArgumentIsAUsageError)
{
    const QString project = makeProject();
    const CliRun bogus = runCli({u"status"_s, project, u"--bogus"_s});
    EXPECT_EQ(bogus.exitCode, 2) << bogus.describe();
    EXPECT_TRUE(bogus.err.contains(u"bogus"_s)) << bogus.err;
    EXPECT_TRUE(bogus.err.contains(u"Usage: fieldmark-cli status"_s)) << bogus.err;

    const CliRun missing = runCli({u"import"_s, project});
    EXPECT_EQ(missing.exitCode, 2) << missing.describe();
    EXPECT_TRUE(missing.err.contains(u"missing PATH"_s)) << missing.err;

    const CliRun badNumber = runCli({u"import"_s, project, path(u"x"_s), u"--threads"_s, u"0"_s});
    EXPECT_EQ(badNumber.exitCode, 2) << badNumber.describe();
    EXPECT_TRUE(badNumber.err.contains(u"--threads"_s)) << badNumber.err;
}

TEST_F(CliTest, VersionNamesTheProgramAndRuntime)
{
    const CliRun run = runCli({u"--version"_s});
    EXPECT_EQ(run.exitCode, 0) << run.describe();
    EXPECT_TRUE(run.out.contains(QRegularExpression(u"^fieldmark-cli \\d+\\.\\d+"_s))) << run.out;
#ifdef FIELDMARK_HAVE_LEARN
    EXPECT_TRUE(run.out.contains(u"LibTorch"_s)) << run.out;
#endif
}

// ---- init and status ---------------------------------------------------------------------------

TEST_F(CliTest, InitCreatesAProjectThatStatusDescribes)
{
    const QString project = path(u"new/project"_s);
    const CliRun init = runCli({u"init"_s, project, u"--type"_s, u"boxes"_s, u"--classes"_s,
                                u"car, person ,bike"_s, u"--task"_s, u"vehicles"_s});
    ASSERT_EQ(init.exitCode, 0) << init.describe();
    EXPECT_TRUE(QFileInfo::exists(project + u"/project.fieldmark"_s));
    EXPECT_TRUE(init.out.contains(u"vehicles"_s)) << init.out;

    const CliRun status = runCli({u"status"_s, project});
    ASSERT_EQ(status.exitCode, 0) << status.describe();
    EXPECT_TRUE(status.out.contains(u"Task 'vehicles': boxes, 3 classes"_s)) << status.out;
    for (const QString &name : {u"car"_s, u"person"_s, u"bike"_s})
        EXPECT_TRUE(status.out.contains(QRegularExpression(u"\\n    "_s + name + u" +0\\n"_s)))
            << name << '\n'
            << status.out;
}

TEST_F(CliTest, InitNamesTheDefaultTaskDefault)
{
    const QString project = makeProject(u"text-class"_s, u"pos,neg"_s);
    const QJsonArray tasks = statusJson(project).value(u"tasks"_s).toArray();
    ASSERT_EQ(tasks.size(), 1);
    EXPECT_EQ(tasks.at(0)[u"name"_s].toString(), u"default"_s);
    EXPECT_EQ(tasks.at(0)[u"type"_s].toString(), u"text-class"_s);
    EXPECT_EQ(tasks.at(0)[u"classCount"_s].toInt(), 2);
}

TEST_F(CliTest, InitWithAnUnknownTypeFailsAndCreatesNothing)
{
    const QString project = path(u"project"_s);
    const CliRun run =
        runCli({u"init"_s, project, u"--type"_s, u"bogus"_s, u"--classes"_s, u"a,b"_s});
    EXPECT_EQ(run.exitCode, 2) << run.describe();
    EXPECT_TRUE(run.err.contains(u"'bogus'"_s)) << run.err;
    EXPECT_TRUE(run.err.contains(u"image-class"_s)) << run.err; // lists the valid types
    EXPECT_FALSE(QFileInfo::exists(project));
}

TEST_F(CliTest, InitWithABadClassListCreatesNothing)
{
    const QString project = path(u"project"_s);
    for (const QString &classes : {u"a,,b"_s, u"a,b,a"_s}) {
        const CliRun run =
            runCli({u"init"_s, project, u"--type"_s, u"image-class"_s, u"--classes"_s, classes});
        EXPECT_EQ(run.exitCode, 2) << classes << '\n' << run.describe();
        EXPECT_TRUE(run.err.contains(u"--classes"_s)) << run.err;
        EXPECT_FALSE(QFileInfo::exists(project + u"/project.fieldmark"_s)) << classes;
    }
}

TEST_F(CliTest, InitRefusesAFolderThatIsAlreadyAProject)
{
    const QString project = makeProject();
    const CliRun again =
        runCli({u"init"_s, project, u"--type"_s, u"boxes"_s, u"--classes"_s, u"x"_s});
    EXPECT_EQ(again.exitCode, 2) << again.describe();
    EXPECT_TRUE(again.err.contains(project)) << again.err;
    EXPECT_TRUE(again.err.contains(u"already a Fieldmark project"_s)) << again.err;
    // The first project is untouched.
    const QJsonArray tasks = statusJson(project).value(u"tasks"_s).toArray();
    ASSERT_EQ(tasks.size(), 1);
    EXPECT_EQ(tasks.at(0)[u"type"_s].toString(), u"image-class"_s);
}

TEST_F(CliTest, CommandsOnAFolderThatIsNotAProjectFail)
{
    const QString plain = path(u"plain"_s);
    ASSERT_TRUE(QDir().mkpath(plain));
    const QString missing = path(u"missing"_s);
    const QList<QStringList> commands{
        {u"status"_s, plain},
        {u"status"_s, plain, u"--json"_s},
        {u"import"_s, plain, plain},
        {u"classes"_s, plain, u"list"_s},
        {u"classes"_s, missing, u"add"_s, u"x"_s},
    };
    for (const QStringList &arguments : commands) {
        const CliRun run = runCli(arguments);
        EXPECT_EQ(run.exitCode, 2) << arguments.join(u' ') << '\n' << run.describe();
        EXPECT_TRUE(run.err.startsWith(u"fieldmark-cli: "_s + arguments.at(1) + u": "_s))
            << run.err;
        EXPECT_TRUE(run.out.isEmpty()) << run.out;
    }
    EXPECT_TRUE(runCli({u"status"_s, plain}).err.contains(u"not a Fieldmark project"_s));
    EXPECT_FALSE(QFileInfo::exists(plain + u"/project.fieldmark"_s)); // nothing was created
}

// ---- import ------------------------------------------------------------------------------------

TEST_F(CliTest, ImportNamesEveryBadFileAndKeepsTheGoodOnes)
{
    const QString project = makeProject();
    const QString images = path(u"images"_s);
    writeGoodImages(images);
    QByteArray noise(4096, Qt::Uninitialized);
    QRandomGenerator random(42);
    for (char &byte : noise)
        byte = char(random.bounded(256));
    ASSERT_TRUE(writeFile(images + u"/corrupt.jpg"_s, noise));
    ASSERT_TRUE(writeFile(images + u"/empty.png"_s, {}));
    ASSERT_TRUE(writeImage(path(u"whole.jpg"_s), 64, 48, 9));
    const QByteArray jpeg = readFile(path(u"whole.jpg"_s));
    ASSERT_GT(jpeg.size(), 200);
    ASSERT_TRUE(writeFile(images + u"/truncated.jpg"_s, jpeg.left(jpeg.size() / 2)));

    const CliRun run = runCli({u"import"_s, project, images});
    EXPECT_EQ(run.exitCode, 1) << run.describe();
    EXPECT_TRUE(run.out.contains(QRegularExpression(u"added +3\\n"_s))) << run.out;
    EXPECT_TRUE(run.out.contains(QRegularExpression(u"skipped +3\\n"_s))) << run.out;
    EXPECT_TRUE(run.out.contains(u"items/s"_s)) << run.out;
    for (const QString &bad : {u"corrupt.jpg"_s, u"empty.png"_s, u"truncated.jpg"_s}) {
        // One line per file: "path: reason".
        const QStringList lines = linesStartingWith(run.err, images + u'/' + bad + u": "_s);
        EXPECT_EQ(lines.size(), 1) << bad << '\n' << run.err;
    }
    EXPECT_EQ(itemCount(project, u"image"_s), 3);
}

TEST_F(CliTest, ADuplicateImageIsReportedAndNotImportedTwice)
{
    const QString project = makeProject();
    const QString images = path(u"images"_s);
    ASSERT_TRUE(writeImage(images + u"/a.png"_s, 20, 20, 5));
    ASSERT_TRUE(writeFile(images + u"/copy.png"_s, readFile(images + u"/a.png"_s)));
    ASSERT_TRUE(writeImage(images + u"/b.png"_s, 20, 20, 6));

    const CliRun first = runCli({u"import"_s, project, images});
    EXPECT_EQ(first.exitCode, 0) << first.describe(); // duplicates are not failures
    EXPECT_TRUE(first.out.contains(QRegularExpression(u"added +2\\n"_s))) << first.out;
    EXPECT_TRUE(first.out.contains(QRegularExpression(u"duplicates +1\\n"_s))) << first.out;
    EXPECT_TRUE(first.err.contains(images + u"/copy.png: duplicate of "_s + images + u"/a.png"_s))
        << first.err;
    EXPECT_EQ(itemCount(project, u"image"_s), 2);

    // A second run of the same import adds nothing.
    const CliRun second = runCli({u"import"_s, project, images});
    EXPECT_EQ(second.exitCode, 0) << second.describe();
    EXPECT_TRUE(second.out.contains(QRegularExpression(u"added +0\\n"_s))) << second.out;
    EXPECT_TRUE(second.out.contains(QRegularExpression(u"duplicates +3\\n"_s))) << second.out;
    EXPECT_EQ(itemCount(project, u"image"_s), 2);
}

TEST_F(CliTest, RelinkFollowsAMovedFolderAndNamesWhatItCouldNot)
{
    const QString project = makeProject();
    const QString images = path(u"images"_s);
    ASSERT_TRUE(writeImage(images + u"/a.png"_s, 20, 20, 1));
    ASSERT_TRUE(writeImage(images + u"/sub/b.png"_s, 20, 20, 2));
    ASSERT_TRUE(writeImage(images + u"/c.png"_s, 20, 20, 3));
    ASSERT_EQ(runCli({u"import"_s, project, images}).exitCode, 0);

    const QString moved = path(u"moved"_s);
    ASSERT_TRUE(QDir().rename(images, moved));
    ASSERT_TRUE(QFile::remove(moved + u"/c.png"_s));
    const CliRun run = runCli({u"relink"_s, project, images, moved, u"--verify"_s});
    EXPECT_EQ(run.exitCode, 1) << run.describe();
    EXPECT_TRUE(run.out.contains(u"Relinked 2 item(s)"_s)) << run.out;
    EXPECT_TRUE(run.err.contains(moved + u"/c.png: not relinked: no such file"_s)) << run.err;

    auto store = ProjectStore::open(project);
    ASSERT_TRUE(store);
    QStringList paths;
    for (qint64 id : (*store)->itemIds())
        paths.append((*store)->item(id)->path);
    EXPECT_TRUE(paths.contains(moved + u"/sub/b.png"_s)) << paths.join(u", "_s).toStdString();
    EXPECT_TRUE(paths.contains(images + u"/c.png"_s));
}

TEST_F(CliTest, ListsOfSkippedFilesAreCappedButCounted)
{
    const QString project = makeProject();
    const QString images = path(u"images"_s);
    for (int i = 0; i < 25; ++i)
        ASSERT_TRUE(writeFile(images + u"/bad%1.png"_s.arg(i), "not a png"));
    const CliRun run = runCli({u"import"_s, project, images});
    EXPECT_EQ(run.exitCode, 1) << run.describe();
    EXPECT_TRUE(run.out.contains(QRegularExpression(u"skipped +25\\n"_s))) << run.out;
    EXPECT_EQ(linesStartingWith(run.err, images + u"/bad"_s).size(), 20) << run.err;
    EXPECT_TRUE(run.err.contains(u"... and 5 more"_s)) << run.err;

    const CliRun verbose = runCli({u"import"_s, project, images, u"--verbose"_s});
    EXPECT_EQ(linesStartingWith(verbose.err, images + u"/bad"_s).size(), 25) << verbose.err;
}

TEST_F(CliTest, JsonlImportNamesTheLineOfAMalformedRecord)
{
    const QString project = makeProject(u"text-class"_s, u"pos,neg"_s);
    const QString jsonl = path(u"reviews.jsonl"_s);
    ASSERT_TRUE(writeFile(jsonl, "{\"text\": \"good film\", \"id\": 1}\n"
                                 "{\"text\": \"broken\n"
                                 "\n"
                                 "{\"text\": \"bad film\", \"id\": 3}\n"));
    const CliRun run = runCli({u"import"_s, project, jsonl});
    EXPECT_EQ(run.exitCode, 1) << run.describe();
    EXPECT_EQ(linesStartingWith(run.err, jsonl + u":2: "_s).size(), 1) << run.err;
    EXPECT_TRUE(run.out.contains(QRegularExpression(u"added +2\\n"_s))) << run.out;
    EXPECT_EQ(itemCount(project, u"text"_s), 2);
}

// Importer documents that "a re-run skips what is already there as duplicates", but the store
// only looks for duplicate images (ProjectStore::addItems), so texts are added again.
// Enable when texts are deduplicated too.
TEST_F(CliTest, ReimportingAJsonlAddsNothing)
{
    const QString project = makeProject(u"text-class"_s, u"pos,neg"_s);
    const QString jsonl = path(u"reviews.jsonl"_s);
    ASSERT_TRUE(writeFile(jsonl, "{\"text\": \"one\"}\n{\"text\": \"two\"}\n"));
    ASSERT_EQ(runCli({u"import"_s, project, jsonl}).exitCode, 0);
    const CliRun again = runCli({u"import"_s, project, jsonl});
    EXPECT_TRUE(again.out.contains(QRegularExpression(u"duplicates +2\\n"_s))) << again.out;
    EXPECT_EQ(itemCount(project, u"text"_s), 2);
}

TEST_F(CliTest, JsonlImportReadsTheFieldAskedFor)
{
    const QString project = makeProject(u"text-class"_s, u"pos,neg"_s);
    const QString jsonl = path(u"docs.jsonl"_s);
    ASSERT_TRUE(writeFile(jsonl, "{\"body\": \"one\"}\n{\"body\": \"two\"}\n"));
    const CliRun withoutField = runCli({u"import"_s, project, jsonl});
    EXPECT_EQ(withoutField.exitCode, 1) << withoutField.describe();
    EXPECT_EQ(itemCount(project, u"text"_s), 0);

    const CliRun run = runCli({u"import"_s, project, jsonl, u"--field"_s, u"body"_s});
    EXPECT_EQ(run.exitCode, 0) << run.describe();
    EXPECT_EQ(itemCount(project, u"text"_s), 2);
}

TEST_F(CliTest, CsvImportReadsTheColumnAskedFor)
{
    const QString project = makeProject(u"text-class"_s, u"pos,neg"_s);
    const QString csv = path(u"reviews.csv"_s);
    ASSERT_TRUE(writeFile(csv, "id,review,stars\n"
                               "1,\"Great, really great\",5\n"
                               "2,\"Two\nlines\",1\n"
                               "3,Fine,3\n"));
    const CliRun wrong = runCli({u"import"_s, project, csv, u"--column"_s, u"body"_s});
    EXPECT_EQ(wrong.exitCode, 2) << wrong.describe();
    EXPECT_TRUE(wrong.err.contains(csv)) << wrong.err;
    EXPECT_TRUE(wrong.err.contains(u"'body'"_s)) << wrong.err;

    const CliRun run = runCli({u"import"_s, project, csv, u"--column"_s, u"review"_s});
    EXPECT_EQ(run.exitCode, 0) << run.describe();
    EXPECT_TRUE(run.out.contains(QRegularExpression(u"added +3\\n"_s))) << run.out;
    EXPECT_TRUE(run.err.isEmpty()) << run.err; // no progress when stderr is not a terminal
    EXPECT_EQ(itemCount(project, u"text"_s), 3);
}

TEST_F(CliTest, ManifestImportResolvesSourceRefsAgainstTheManifest)
{
    const QString project = makeProject();
    const QString dataset = path(u"dataset"_s);
    ASSERT_TRUE(writeImage(dataset + u"/images/one.png"_s, 30, 20, 11));
    ASSERT_TRUE(writeImage(dataset + u"/images/two.jpg"_s, 30, 20, 12));
    const QString manifest = dataset + u"/input.manifest"_s;
    ASSERT_TRUE(writeFile(manifest, "{\"source-ref\": \"images/one.png\", \"batch\": 1}\n"
                                    "{\"source-ref\": \"images/two.jpg\"}\n"
                                    "{\"source-ref\": \"images/three.png\"}\n"));
    // Run from elsewhere, so a path relative to the working folder would not be found.
    const CliRun run = runCli({u"import"_s, project, manifest});
    EXPECT_EQ(run.exitCode, 1) << run.describe();
    EXPECT_TRUE(run.out.contains(QRegularExpression(u"added +2\\n"_s))) << run.out;
    EXPECT_TRUE(run.err.contains(u"three.png"_s)) << run.err;
    EXPECT_EQ(itemCount(project, u"image"_s), 2);
    EXPECT_EQ(itemCount(project, u"text"_s), 0);
}

TEST_F(CliTest, AFolderOfTextFilesIsImportedAsText)
{
    const QString project = makeProject(u"text-class"_s, u"pos,neg"_s);
    const QString texts = path(u"texts"_s);
    ASSERT_TRUE(writeFile(texts + u"/a.txt"_s, "first document"));
    ASSERT_TRUE(writeFile(texts + u"/deeper/b.txt"_s, "second document"));
    const CliRun run = runCli({u"import"_s, project, texts});
    EXPECT_EQ(run.exitCode, 0) << run.describe();
    EXPECT_EQ(itemCount(project, u"text"_s), 2);
    EXPECT_EQ(itemCount(project, u"image"_s), 0);
}

TEST_F(CliTest, ImportChecksEveryPathBeforeWritingAnything)
{
    const QString project = makeProject();
    const QString images = path(u"images"_s);
    writeGoodImages(images);
    const QString missing = path(u"no-such-folder"_s);
    const CliRun run = runCli({u"import"_s, project, images, missing});
    EXPECT_EQ(run.exitCode, 2) << run.describe();
    EXPECT_TRUE(run.err.contains(missing)) << run.err;
    EXPECT_EQ(itemCount(project, u"image"_s), 0);

    ASSERT_TRUE(writeFile(path(u"notes.xyz"_s), "?"));
    const CliRun unknown = runCli({u"import"_s, project, path(u"notes.xyz"_s)});
    EXPECT_EQ(unknown.exitCode, 2) << unknown.describe();
    EXPECT_TRUE(unknown.err.contains(u"--format"_s)) << unknown.err;

    const CliRun badFormat = runCli({u"import"_s, project, images, u"--format"_s, u"pdf"_s});
    EXPECT_EQ(badFormat.exitCode, 2) << badFormat.describe();
    EXPECT_TRUE(badFormat.err.contains(u"'pdf'"_s)) << badFormat.err;
}

// ---- classes -----------------------------------------------------------------------------------

TEST_F(CliTest, ClassesCanBeAddedRenamedAndListed)
{
    const QString project = makeProject();
    const CliRun add = runCli({u"classes"_s, project, u"add"_s, u"bird"_s, u"--color"_s,
                               u"#112233"_s, u"--key"_s, u"b"_s});
    ASSERT_EQ(add.exitCode, 0) << add.describe();
    const CliRun rename = runCli({u"classes"_s, project, u"rename"_s, u"cat"_s, u"feline"_s});
    ASSERT_EQ(rename.exitCode, 0) << rename.describe();

    const CliRun list = runCli({u"classes"_s, project, u"list"_s});
    ASSERT_EQ(list.exitCode, 0) << list.describe();
    EXPECT_TRUE(list.out.contains(QRegularExpression(u"\\n\\d+ +bird +#112233 +B +0\\n"_s)))
        << list.out;
    EXPECT_TRUE(list.out.contains(QRegularExpression(u"\\n\\d+ +feline "_s))) << list.out;
    EXPECT_FALSE(list.out.contains(QRegularExpression(u"\\n\\d+ +cat "_s))) << list.out;
    EXPECT_TRUE(list.out.contains(QRegularExpression(u"\\n\\d+ +dog "_s))) << list.out;
}

TEST_F(CliTest, ClassesRefusesNamesAndKeysAlreadyTaken)
{
    const QString project = makeProject();
    const CliRun rename = runCli({u"classes"_s, project, u"rename"_s, u"dog"_s, u"cat"_s});
    EXPECT_EQ(rename.exitCode, 2) << rename.describe();
    EXPECT_TRUE(rename.err.contains(project)) << rename.err;
    EXPECT_TRUE(rename.err.contains(u"already has a class 'cat'"_s)) << rename.err;

    const CliRun add = runCli({u"classes"_s, project, u"add"_s, u"dog"_s});
    EXPECT_EQ(add.exitCode, 2) << add.describe();

    const CliRun missing = runCli({u"classes"_s, project, u"rename"_s, u"cow"_s, u"bull"_s});
    EXPECT_EQ(missing.exitCode, 2) << missing.describe();
    EXPECT_TRUE(missing.err.contains(u"'cow'"_s)) << missing.err;

    const CliRun badColor =
        runCli({u"classes"_s, project, u"add"_s, u"fox"_s, u"--color"_s, u"orange"_s});
    EXPECT_EQ(badColor.exitCode, 2) << badColor.describe();
    EXPECT_TRUE(badColor.err.contains(u"#rrggbb"_s)) << badColor.err;

    // Both classes still there, unchanged.
    const QJsonObject perClass =
        statusJson(project)[u"tasks"_s][0][u"annotationsPerClass"_s].toObject();
    EXPECT_EQ(perClass.keys(), (QStringList{u"cat"_s, u"dog"_s}));
}

// Draws `boxesPerItem` human boxes of `className` on each of the first `itemCount` images of a
// boxes project, in-process, as the GUI would.
void drawBoxes(const QString &project, const QString &className, int itemCount, int boxesPerItem)
{
    auto store = ProjectStore::open(project);
    ASSERT_TRUE(store.ok()) << store.errorString();
    const QList<LabelTask> tasks = (*store)->tasks();
    ASSERT_EQ(tasks.size(), 1);
    const LabelClass *labelClass = tasks.first().classByName(className);
    ASSERT_NE(labelClass, nullptr);
    const QList<qint64> items = (*store)->itemIds(ItemKind::Image);
    ASSERT_GE(items.size(), itemCount);
    for (int i = 0; i < itemCount; ++i) {
        for (int b = 0; b < boxesPerItem; ++b) {
            Annotation annotation;
            annotation.itemId = items.at(i);
            annotation.taskId = tasks.first().id;
            annotation.classId = labelClass->id;
            annotation.shape = Box{1.0 + b, 2.0, 5.0, 4.0};
            const auto added = (*store)->addAnnotation(annotation);
            ASSERT_TRUE(added.ok()) << added.errorString();
        }
    }
}

TEST_F(CliTest, RenameKeepsTheAnnotationsOfTheClass)
{
    const QString project = makeProject(u"boxes"_s, u"cat,dog"_s);
    writeGoodImages(path(u"images"_s));
    ASSERT_EQ(runCli({u"import"_s, project, path(u"images"_s)}).exitCode, 0);
    drawBoxes(project, u"cat"_s, 2, 1);

    const CliRun rename = runCli({u"classes"_s, project, u"rename"_s, u"cat"_s, u"feline"_s});
    ASSERT_EQ(rename.exitCode, 0) << rename.describe();
    EXPECT_TRUE(rename.out.contains(u"2 annotations kept"_s)) << rename.out;
    const CliRun list = runCli({u"classes"_s, project, u"list"_s});
    EXPECT_TRUE(
        list.out.contains(QRegularExpression(u"\\n\\d+ +feline +#[0-9a-f]{6} +\\S+ +2\\n"_s)))
        << list.out;
}

TEST_F(CliTest, StatusJsonCountsItemsAndLabels)
{
    const QString project = makeProject(u"boxes"_s, u"cat,dog"_s);
    writeGoodImages(path(u"images"_s));
    ASSERT_EQ(runCli({u"import"_s, project, path(u"images"_s)}).exitCode, 0);
    ASSERT_TRUE(writeFile(path(u"t.jsonl"_s), "{\"text\": \"a text item\"}\n"));
    ASSERT_EQ(runCli({u"import"_s, project, path(u"t.jsonl"_s)}).exitCode, 0);
    drawBoxes(project, u"dog"_s, 1, 3); // three boxes on one image

    const QJsonObject status = statusJson(project);
    EXPECT_EQ(status[u"project"_s].toString(), QDir(project).absolutePath());
    EXPECT_EQ(status[u"items"_s][u"total"_s].toInteger(), 4);
    EXPECT_EQ(status[u"items"_s][u"image"_s].toInteger(), 3);
    EXPECT_EQ(status[u"items"_s][u"text"_s].toInteger(), 1);
    const QJsonObject task = status[u"tasks"_s][0].toObject();
    EXPECT_EQ(task[u"counts"_s][u"items"_s].toInteger(), 3); // images only: an image task
    EXPECT_EQ(task[u"counts"_s][u"unlabeled"_s].toInteger(), 2);
    EXPECT_EQ(task[u"counts"_s][u"human"_s].toInteger(), 1);
    EXPECT_EQ(task[u"counts"_s][u"awaitingReview"_s].toInteger(), 0);
    EXPECT_EQ(task[u"annotationsPerClass"_s][u"dog"_s].toInteger(), 3);
    EXPECT_EQ(task[u"annotationsPerClass"_s][u"cat"_s].toInteger(), 0);

    const CliRun text = runCli({u"status"_s, project});
    EXPECT_TRUE(text.out.contains(QRegularExpression(u"human +1\\n"_s))) << text.out;
    EXPECT_TRUE(text.out.contains(u"4 (3 images, 1 text)"_s)) << text.out;
}

TEST_F(CliTest, SeveralTasksNeedTaskNamed)
{
    const QString project = makeProject();
    {
        auto store = ProjectStore::open(project);
        ASSERT_TRUE(store.ok()) << store.errorString();
        ASSERT_TRUE((*store)->addTask(u"regions"_s, TaskType::Boxes, {u"roof"_s}).ok());
    }
    const CliRun ambiguous = runCli({u"classes"_s, project, u"list"_s});
    EXPECT_EQ(ambiguous.exitCode, 2) << ambiguous.describe();
    EXPECT_TRUE(ambiguous.err.contains(u"default"_s)) << ambiguous.err;
    EXPECT_TRUE(ambiguous.err.contains(u"regions"_s)) << ambiguous.err;
    EXPECT_TRUE(ambiguous.err.contains(u"--task"_s)) << ambiguous.err;

    const CliRun chosen = runCli({u"classes"_s, project, u"--task"_s, u"regions"_s, u"list"_s});
    EXPECT_EQ(chosen.exitCode, 0) << chosen.describe();
    EXPECT_TRUE(chosen.out.contains(u"roof"_s)) << chosen.out;
    EXPECT_FALSE(chosen.out.contains(u"cat"_s)) << chosen.out;

    const CliRun wrong = runCli({u"classes"_s, project, u"--task"_s, u"nope"_s, u"list"_s});
    EXPECT_EQ(wrong.exitCode, 2) << wrong.describe();
    EXPECT_TRUE(wrong.err.contains(u"'nope'"_s)) << wrong.err;

    EXPECT_EQ(statusJson(project)[u"tasks"_s].toArray().size(), 2);
}

TEST_F(CliTest, ExportWritesCocoAndRefusesATaskTheFormatCannotCarry)
{
    const QString project = makeProject(u"boxes"_s, u"cat,dog"_s);
    writeGoodImages(path(u"images"_s));
    ASSERT_EQ(runCli({u"import"_s, project, path(u"images"_s)}).exitCode, 0);
    drawBoxes(project, u"dog"_s, 2, 1);

    const QString out = path(u"out/train.json"_s);
    const CliRun run = runCli({u"export"_s, project, u"--format"_s, u"coco"_s, u"--output"_s, out});
    ASSERT_EQ(run.exitCode, 0) << run.describe();
    EXPECT_TRUE(run.out.contains(u"2 annotation(s)"_s)) << run.out;
    const QJsonObject coco = QJsonDocument::fromJson(readFile(out)).object();
    const QJsonArray annotations = coco.value(u"annotations"_s).toArray();
    ASSERT_EQ(annotations.size(), 2);
    EXPECT_EQ(annotations.at(0).toObject().value(u"category_id"_s).toInt(), 2); // dog: position 1

    const QString classes = path(u"classes-project"_s);
    ASSERT_EQ(runCli({u"init"_s, classes, u"--type"_s, u"image-class"_s, u"--classes"_s, u"a,b"_s})
                  .exitCode,
              0);
    const CliRun refused =
        runCli({u"export"_s, classes, u"--format"_s, u"coco"_s, u"--output"_s, path(u"x.json"_s)});
    EXPECT_EQ(refused.exitCode, 2);
    EXPECT_TRUE(refused.err.contains(u"cannot carry"_s)) << refused.err;
    EXPECT_FALSE(QFileInfo::exists(path(u"x.json"_s)));
}

TEST_F(CliTest, ExportSplitsWithASeedAndCopiesImages)
{
    const QString project = makeProject(u"boxes"_s, u"cat,dog"_s);
    writeGoodImages(path(u"images"_s));
    ASSERT_EQ(runCli({u"import"_s, project, path(u"images"_s)}).exitCode, 0);
    drawBoxes(project, u"cat"_s, 3, 1);

    const QString out = path(u"split/data.json"_s);
    const CliRun run =
        runCli({u"export"_s, project, u"--format"_s, u"coco"_s, u"--output"_s, out, u"--val"_s,
                u"0.34"_s, u"--seed"_s, u"3"_s, u"--media"_s, u"copy"_s});
    ASSERT_EQ(run.exitCode, 0) << run.describe();
    EXPECT_TRUE(run.out.contains(u"3 image(s) copied"_s)) << run.out;
    EXPECT_TRUE(run.out.contains(u"val: 1 item(s)"_s)) << run.out;
    EXPECT_TRUE(QFileInfo::exists(path(u"split/data_train.json"_s)));
    EXPECT_TRUE(QFileInfo::exists(path(u"split/data_val.json"_s)));
    EXPECT_EQ(QDir(path(u"split/images/train"_s)).entryList(QDir::Files).size(), 2);

    const CliRun bad = runCli({u"export"_s, project, u"--format"_s, u"coco"_s, u"--output"_s, out,
                               u"--media"_s, u"move"_s});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_TRUE(bad.err.contains(u"--media"_s)) << bad.err;
}

TEST_F(CliTest, ImportFormatBringsLabelsIntoATask)
{
    const QString source = makeProject(u"boxes"_s, u"cat,dog"_s);
    writeGoodImages(path(u"images"_s));
    ASSERT_EQ(runCli({u"import"_s, source, path(u"images"_s)}).exitCode, 0);
    drawBoxes(source, u"dog"_s, 3, 2);
    const QString out = path(u"images/labels.json"_s);
    ASSERT_EQ(runCli({u"export"_s, source, u"--format"_s, u"coco"_s, u"--output"_s, out}).exitCode,
              0);

    // Into a new project that has only "cat": the dog labels need --add-classes.
    const QString target = path(u"target"_s);
    ASSERT_EQ(
        runCli({u"init"_s, target, u"--type"_s, u"boxes"_s, u"--classes"_s, u"cat"_s}).exitCode, 0);
    const CliRun skipped = runCli({u"import"_s, target, out, u"--format"_s, u"coco"_s});
    EXPECT_EQ(skipped.exitCode, 1) << skipped.describe();
    EXPECT_TRUE(skipped.out.contains(u"classes not in task   dog"_s)) << skipped.out;

    const CliRun added =
        runCli({u"import"_s, target, out, u"--format"_s, u"coco"_s, u"--add-classes"_s});
    ASSERT_EQ(added.exitCode, 0) << added.describe();
    EXPECT_TRUE(added.out.contains(u"Imported 6 label(s)"_s)) << added.out;
    EXPECT_TRUE(added.out.contains(u"new classes: dog"_s)) << added.out;
    EXPECT_EQ(itemCount(target, u"image"_s), 3);

    // A broken record: nothing is imported without --valid-part; the message names the file.
    QByteArray json = readFile(out);
    json.replace("\"category_id\":2", "\"category_id\":9");
    const QString broken = path(u"images/broken.json"_s);
    QFile file(broken);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(json);
    file.close();
    const CliRun refused = runCli({u"import"_s, target, broken, u"--format"_s, u"coco"_s});
    EXPECT_EQ(refused.exitCode, 2) << refused.describe();
    EXPECT_TRUE(refused.err.contains(u"broken.json"_s)) << refused.err;
    EXPECT_TRUE(refused.err.contains(u"nothing imported"_s)) << refused.err;

    const CliRun unknown = runCli({u"import"_s, target, out, u"--format"_s, u"pdf"_s});
    EXPECT_EQ(unknown.exitCode, 2);
    EXPECT_TRUE(unknown.err.contains(u"coco"_s)) << unknown.err;
}

TEST_F(CliTest, JobStartQueuesItemsAndStatusFollowsIt)
{
    const QString project = makeProject(u"text-class"_s, u"good,bad"_s);
    QByteArray lines;
    for (int i = 0; i < 30; ++i)
        lines += "{\"text\": \"review number " + QByteArray::number(i) + "\"}\n";
    ASSERT_TRUE(writeFile(path(u"reviews.jsonl"_s), lines));
    ASSERT_EQ(runCli({u"import"_s, project, path(u"reviews.jsonl"_s)}).exitCode, 0);

    const CliRun started = runCli({u"job"_s, project, u"start"_s, u"first"_s, u"--validation"_s,
                                   u"6"_s, u"--batch"_s, u"4"_s, u"--audit-rate"_s, u"0.05"_s});
    ASSERT_EQ(started.exitCode, 0) << started.describe();
    EXPECT_TRUE(started.out.contains(u"10 item(s) for people first"_s)) << started.out;

    const CliRun status = runCli({u"job"_s, project, u"status"_s, u"--json"_s});
    ASSERT_EQ(status.exitCode, 0) << status.describe();
    const QJsonArray jobs = QJsonDocument::fromJson(status.out.toUtf8()).array();
    ASSERT_EQ(jobs.size(), 1);
    EXPECT_EQ(jobs[0].toObject().value(u"waiting"_s).toInt(), 10);
    EXPECT_EQ(jobs[0].toObject().value(u"phase"_s).toString(), u"waiting for people"_s);
    const QJsonObject audit = jobs[0].toObject().value(u"audit"_s).toObject();
    EXPECT_DOUBLE_EQ(audit.value(u"rate"_s).toDouble(), 0.05);
    EXPECT_EQ(audit.value(u"audited"_s).toInt(-1), 0);
    EXPECT_FALSE(audit.contains(u"accuracy"_s)); // nothing audited yet

    const CliRun twice = runCli({u"job"_s, project, u"start"_s, u"first"_s});
    EXPECT_EQ(twice.exitCode, 2);
    EXPECT_TRUE(twice.err.contains(u"first"_s)) << twice.err;
    const CliRun badTarget =
        runCli({u"job"_s, project, u"start"_s, u"second"_s, u"--target"_s, u"95"_s});
    EXPECT_EQ(badTarget.exitCode, 2);
    EXPECT_TRUE(badTarget.err.contains(u"--target"_s)) << badTarget.err;
    const CliRun badAudit =
        runCli({u"job"_s, project, u"start"_s, u"second"_s, u"--audit-rate"_s, u"2"_s});
    EXPECT_EQ(badAudit.exitCode, 2);
    EXPECT_TRUE(badAudit.err.contains(u"--audit-rate"_s)) << badAudit.err;
}

#ifdef FIELDMARK_HAVE_LEARN

// A text project of reviews whose class shows in their words, for labeling jobs that train.
QString makeReviewProject(const QString &project, const QString &classes)
{
    const CliRun init =
        runCli({u"init"_s, project, u"--type"_s, u"text-class"_s, u"--classes"_s, classes});
    EXPECT_EQ(init.exitCode, 0) << init.describe();
    QByteArray lines;
    for (int i = 0; i < 80; ++i) {
        const QByteArray words = i % 2 ? "awful dreadful boring" : "lovely wonderful great";
        lines += "{\"text\": \"" + words + " film number " + QByteArray::number(i) +
                 "\", \"label\": \"" + (i % 2 ? "bad" : "good") + "\"}\n";
    }
    EXPECT_TRUE(writeFile(project + u"/reviews.jsonl"_s, lines));
    const CliRun imported = runCli({u"import"_s, project, project + u"/reviews.jsonl"_s});
    EXPECT_EQ(imported.exitCode, 0) << imported.describe();
    return project;
}

// Labels what the job waits for as a careful person would: the first class for the kind
// reviews, the second for the others.
void labelJobQueue(const QString &project, const QString &jobName)
{
    auto store = ProjectStore::open(project);
    ASSERT_TRUE(store.ok()) << store.errorString();
    auto record = (*store)->jobByName(jobName);
    ASSERT_TRUE(record.ok()) << record.errorString();
    auto job = LabelingJob::open(**store, record->id);
    ASSERT_TRUE(job.ok()) << job.errorString();
    auto task = (*store)->task(record->taskId);
    ASSERT_TRUE(task.ok()) << task.errorString();
    auto person = (*store)->annotatorId(u"tester"_s);
    ASSERT_TRUE(person.ok()) << person.errorString();
    QList<Annotation> answers;
    for (qint64 itemId : job->humanQueue()) {
        auto item = (*store)->item(itemId);
        ASSERT_TRUE(item.ok()) << item.errorString();
        Annotation a;
        a.itemId = itemId;
        a.taskId = task->id;
        a.classId = task->classes.at(item->text.startsWith(u"lovely"_s) ? 0 : 1).id;
        a.shape = ClassTag{};
        a.provenance.annotatorId = *person;
        answers.append(a);
    }
    ASSERT_FALSE(answers.isEmpty());
    const auto added = (*store)->addAnnotations(answers);
    ASSERT_TRUE(added.ok()) << added.errorString();
}

TEST_F(CliTest, JobStepTrainsOnceTheQueueIsLabeled)
{
    const QString project = makeReviewProject(path(u"reviews"_s), u"good,bad"_s);
    ASSERT_EQ(runCli({u"job"_s, project, u"start"_s, u"first"_s, u"--validation"_s, u"30"_s,
                      u"--batch"_s, u"10"_s})
                  .exitCode,
              0);

    const CliRun early = runCli({u"job"_s, project, u"step"_s, u"first"_s});
    ASSERT_EQ(early.exitCode, 0) << early.describe();
    EXPECT_TRUE(early.out.contains(u"waits for people to label 40 item(s)"_s)) << early.out;
    EXPECT_FALSE(QFileInfo::exists(project + u"/models"_s));

    labelJobQueue(project, u"first"_s);
    const CliRun step = runCli({u"job"_s, project, u"step"_s, u"first"_s});
    ASSERT_EQ(step.exitCode, 0) << step.describe();
    EXPECT_TRUE(step.out.contains(u"iteration 1:"_s)) << step.out;
    EXPECT_TRUE(step.out.contains(u"40 by people"_s)) << step.out;
    EXPECT_TRUE(step.out.contains(u"validation accuracy"_s)) << step.out;

    auto store = ProjectStore::open(project);
    ASSERT_TRUE(store.ok()) << store.errorString();
    const QList<CheckpointRecord> checkpoints = (*store)->checkpoints();
    ASSERT_EQ(checkpoints.size(), 1);
    EXPECT_EQ(checkpoints[0].path, u"models/1/iteration-1.pt"_s);
    EXPECT_TRUE(QFileInfo(project + u"/"_s + checkpoints[0].path).size() > 0);
    const QList<IterationRecord> iterations = (*store)->iterations(checkpoints[0].jobId);
    ASSERT_EQ(iterations.size(), 1);
    EXPECT_EQ(iterations[0].checkpointId, checkpoints[0].id);

    const CliRun unknown = runCli({u"job"_s, project, u"step"_s, u"second"_s});
    EXPECT_NE(unknown.exitCode, 0);
    EXPECT_TRUE(unknown.err.contains(u"second"_s)) << unknown.err;
}

TEST_F(CliTest, JobStartsWarmFromAnotherProjectsModel)
{
    const QString first = makeReviewProject(path(u"first"_s), u"good,bad"_s);
    ASSERT_EQ(runCli({u"job"_s, first, u"start"_s, u"job"_s, u"--validation"_s, u"30"_s,
                      u"--batch"_s, u"10"_s})
                  .exitCode,
              0);
    labelJobQueue(first, u"job"_s);
    ASSERT_EQ(runCli({u"job"_s, first, u"step"_s, u"job"_s}).exitCode, 0);

    const QString second = makeReviewProject(path(u"second"_s), u"good,bad"_s);
    const CliRun warm = runCli({u"job"_s, second, u"start"_s, u"chained"_s, u"--validation"_s,
                                u"30"_s, u"--batch"_s, u"10"_s, u"--warm-start"_s, first});
    ASSERT_EQ(warm.exitCode, 0) << warm.describe();
    EXPECT_TRUE(warm.out.contains(u"starts from the latest model of"_s)) << warm.out;
    {
        auto store = ProjectStore::open(second);
        ASSERT_TRUE(store.ok()) << store.errorString();
        const QList<CheckpointRecord> checkpoints = (*store)->checkpoints();
        ASSERT_EQ(checkpoints.size(), 1);
        EXPECT_EQ(checkpoints[0].path, u"models/1/warm-start.pt"_s);
        EXPECT_EQ(readFile(second + u"/models/1/warm-start.pt"_s),
                  readFile(first + u"/models/1/iteration-1.pt"_s));
    }
    // The copied model loads: the first training of the chained job starts from it.
    labelJobQueue(second, u"chained"_s);
    const CliRun step = runCli({u"job"_s, second, u"step"_s, u"chained"_s});
    ASSERT_EQ(step.exitCode, 0) << step.describe();
    EXPECT_TRUE(step.out.contains(u"iteration 1:"_s)) << step.out;
}

TEST_F(CliTest, SimulateStartsWarmFromAnotherProjectsModel)
{
    const QString first = makeReviewProject(path(u"first"_s), u"good,bad"_s);
    ASSERT_EQ(runCli({u"job"_s, first, u"start"_s, u"job"_s, u"--validation"_s, u"30"_s,
                      u"--batch"_s, u"10"_s})
                  .exitCode,
              0);
    labelJobQueue(first, u"job"_s);
    ASSERT_EQ(runCli({u"job"_s, first, u"step"_s, u"job"_s}).exitCode, 0);

    const QString second = makeReviewProject(path(u"second"_s), u"good,bad"_s);
    const CliRun simulated =
        runCli({u"simulate"_s, second, u"--oracle"_s, second + u"/reviews.jsonl"_s,
                u"--oracle-format"_s, u"jsonl"_s, u"--name"_s, u"chained"_s, u"--validation"_s,
                u"30"_s, u"--batch"_s, u"10"_s, u"--warm-start"_s, first});
    ASSERT_EQ(simulated.exitCode, 0) << simulated.describe();
    auto store = ProjectStore::open(second);
    ASSERT_TRUE(store.ok()) << store.errorString();
    const QList<CheckpointRecord> checkpoints = (*store)->checkpoints();
    ASSERT_GE(checkpoints.size(), 2);
    EXPECT_EQ(checkpoints[0].path, u"models/1/warm-start.pt"_s);
    EXPECT_EQ(checkpoints[1].path, u"models/1/iteration-1.pt"_s);
    // Only the latest model stays on disk; the records of the others stay.
    EXPECT_TRUE(QFileInfo::exists(second + u"/"_s + checkpoints.constLast().path));
    for (qsizetype i = 0; i + 1 < checkpoints.size(); ++i)
        EXPECT_FALSE(QFileInfo::exists(second + u"/"_s + checkpoints[i].path))
            << checkpoints[i].path.toStdString();
}

TEST_F(CliTest, WarmStartFromAModelOfOtherClassesIsRefused)
{
    const QString first = makeReviewProject(path(u"first"_s), u"good,bad"_s);
    ASSERT_EQ(runCli({u"job"_s, first, u"start"_s, u"job"_s, u"--validation"_s, u"30"_s,
                      u"--batch"_s, u"10"_s})
                  .exitCode,
              0);
    labelJobQueue(first, u"job"_s);
    ASSERT_EQ(runCli({u"job"_s, first, u"step"_s, u"job"_s}).exitCode, 0);

    const QString other = makeReviewProject(path(u"other"_s), u"good,meh"_s);
    const CliRun refused =
        runCli({u"job"_s, other, u"start"_s, u"chained"_s, u"--warm-start"_s, first});
    EXPECT_NE(refused.exitCode, 0);
    EXPECT_TRUE(refused.err.contains(u"the model of project "_s + first)) << refused.err;
    EXPECT_TRUE(refused.err.contains(u"class 2 is 'bad' there and 'meh' here"_s)) << refused.err;
    // Nothing was written: no job, no model.
    const CliRun status = runCli({u"job"_s, other, u"status"_s, u"--json"_s});
    EXPECT_EQ(QJsonDocument::fromJson(status.out.toUtf8()).array().size(), 0) << status.out;
    EXPECT_FALSE(QFileInfo::exists(other + u"/models"_s));

    const CliRun empty =
        runCli({u"job"_s, other, u"start"_s, u"chained"_s, u"--warm-start"_s, other});
    EXPECT_NE(empty.exitCode, 0);
    EXPECT_TRUE(empty.err.contains(u"has no trained model for a"_s)) << empty.err;
}

// End to end with the real learners, as CI can afford: a few hundred generated items, the
// simulated annotator, the Fieldmark policy; the machine labels must meet the 95% target
// against the truth (not only on the job's own validation set).
QJsonObject simulateToReport(const QString &project, const QString &oracle, const QString &report)
{
    const CliRun simulated =
        runCli({u"simulate"_s, project, u"--oracle"_s, oracle, u"--oracle-format"_s, u"jsonl"_s,
                u"--policy"_s, u"fieldmark"_s, u"--report"_s, report});
    EXPECT_EQ(simulated.exitCode, 0) << simulated.describe();
    return QJsonDocument::fromJson(readFile(report)).object();
}

TEST_F(CliTest, SimulatedTextJobMeetsTheTargetWithTheTextLearner)
{
    const QString project = path(u"topics"_s);
    ASSERT_EQ(runCli({u"init"_s, project, u"--type"_s, u"text-class"_s, u"--classes"_s,
                      u"sport,science,music"_s})
                  .exitCode,
              0);
    // Three topics, each text with three words of its topic, one word of any topic and
    // filler: learnable, not trivially (one text in three carries a word of another topic).
    const QStringList topics = {u"sport"_s, u"science"_s, u"music"_s};
    const QList<QStringList> words = {
        QStringList{u"match"_s, u"goal"_s, u"team"_s, u"coach"_s, u"league"_s, u"score"_s},
        QStringList{u"atom"_s, u"cell"_s, u"theory"_s, u"energy"_s, u"physics"_s, u"lab"_s},
        QStringList{u"album"_s, u"song"_s, u"band"_s, u"guitar"_s, u"concert"_s, u"melody"_s}};
    const QStringList filler = {u"the"_s, u"a"_s, u"today"_s, u"new"_s, u"about"_s, u"report"_s};
    QRandomGenerator random(7);
    QByteArray lines;
    for (int i = 0; i < 450; ++i) {
        const int topic = i % 3;
        QStringList text;
        for (int k = 0; k < 3; ++k)
            text.append(words[topic].at(random.bounded(6)));
        text.append(words[random.bounded(3)].at(random.bounded(6)));
        for (int k = 0; k < 4; ++k)
            text.append(filler.at(random.bounded(6)));
        lines += QJsonDocument(QJsonObject{{u"text"_s, QString(text.join(u' ') + u" #%1"_s.arg(i))},
                                           {u"label"_s, topics[topic]}})
                     .toJson(QJsonDocument::Compact) +
                 '\n';
    }
    const QString oracle = path(u"topics.jsonl"_s);
    ASSERT_TRUE(writeFile(oracle, lines));
    ASSERT_EQ(runCli({u"import"_s, project, oracle}).exitCode, 0);

    const QJsonObject report = simulateToReport(project, oracle, path(u"report.json"_s));
    EXPECT_EQ(report.value(u"items"_s).toInt(), 450);
    EXPECT_EQ(report.value(u"unlabeled"_s).toInt(), 0);
    EXPECT_GT(report.value(u"machineLabels"_s).toInt(), 100)
        << QJsonDocument(report).toJson().toStdString();
    EXPECT_GE(report.value(u"machineAccuracy"_s).toDouble(), 0.95)
        << QJsonDocument(report).toJson().toStdString();
}

TEST_F(CliTest, SimulatedSpanJobMeetsTheTargetWithTheSpanTagger)
{
    const QString project = path(u"people"_s);
    ASSERT_EQ(runCli({u"init"_s, project, u"--type"_s, u"spans"_s, u"--classes"_s, u"NAME,NUM"_s})
                  .exitCode,
              0);
    // Sentences from templates: capitalised names and numbers to find, one in four with
    // neither (an empty answer is an answer too).
    const QStringList names = {u"Ada"_s,     u"Grace"_s,  u"Alan"_s,    u"Edsger"_s,
                               u"Barbara"_s, u"Donald"_s, u"Niklaus"_s, u"Frances"_s};
    const QStringList verbs = {u"met"_s, u"called"_s, u"thanked"_s, u"visited"_s};
    QRandomGenerator random(11);
    QByteArray lines;
    for (int i = 0; i < 400; ++i) {
        QString text;
        QJsonArray entities;
        const auto add = [&](const QString &word, const QString &label) {
            entities.append(QJsonArray{text.size(), text.size() + word.size(), label});
            text += word;
        };
        switch (i % 4) {
        case 0:
            add(names.at(random.bounded(8)), u"NAME"_s);
            text += u" "_s + verbs.at(random.bounded(4)) + u" "_s;
            add(names.at(random.bounded(8)), u"NAME"_s);
            text += u" at "_s;
            add(QString::number(random.bounded(1, 12)), u"NUM"_s);
            text += u" o'clock ."_s;
            break;
        case 1:
            text += u"they "_s + verbs.at(random.bounded(4)) + u" "_s;
            add(names.at(random.bounded(8)), u"NAME"_s);
            text += u" twice ."_s;
            break;
        case 2:
            text += u"we saw "_s;
            add(QString::number(random.bounded(2, 99)), u"NUM"_s);
            text += u" birds today ."_s;
            break;
        default:
            text +=
                u"it rained all day and nobody "_s + verbs.at(random.bounded(4)) + u" anyone ."_s;
            break;
        }
        text += u" #%1"_s.arg(i); // distinct texts
        lines += QJsonDocument(QJsonObject{{u"text"_s, text}, {u"entities"_s, entities}})
                     .toJson(QJsonDocument::Compact) +
                 '\n';
    }
    const QString oracle = path(u"people.jsonl"_s);
    ASSERT_TRUE(writeFile(oracle, lines));
    ASSERT_EQ(runCli({u"import"_s, project, oracle}).exitCode, 0);

    const QJsonObject report = simulateToReport(project, oracle, path(u"report.json"_s));
    EXPECT_EQ(report.value(u"items"_s).toInt(), 400);
    EXPECT_EQ(report.value(u"unlabeled"_s).toInt(), 0);
    EXPECT_GT(report.value(u"machineLabels"_s).toInt(), 50)
        << QJsonDocument(report).toJson().toStdString();
    EXPECT_GE(report.value(u"machineAccuracy"_s).toDouble(), 0.95)
        << QJsonDocument(report).toJson().toStdString();
    EXPECT_GE(report.value(u"entityF1"_s).toDouble(), 0.95)
        << QJsonDocument(report).toJson().toStdString();
}

#endif // FIELDMARK_HAVE_LEARN

} // namespace
} // namespace fieldmark::test
