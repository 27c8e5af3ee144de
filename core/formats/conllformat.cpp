#include "conllformat.h"

#include "core/formats/textformatsupport.h"
#include "core/model/textoffsets.h"

#include <QFileInfo>
#include <QSaveFile>

#include <algorithm>
#include <tuple>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace {

const QString kDocStart = u"-DOCSTART-"_s;

using Token = TextWord;

// One text as CoNLL lines, and what writing it costs.
struct TaggedText
{
    QStringList tokens;
    QStringList tags;
    qsizetype extended = 0;    // spans grown to token edges
    qsizetype overlapping = 0; // spans dropped for sharing a token with an earlier one
    qsizetype wordless = 0;    // spans over no token (only whitespace, or outside the text)
    bool whitespaceChanged = false;
};

TaggedText tagText(const ExportItem &exportItem, const QHash<qint64, QString> &names)
{
    TaggedText result;
    const QString &text = exportItem.item.text;
    const QList<Token> tokens = textWords(text);
    for (const Token &token : tokens)
        result.tokens.append(text.mid(token.from, token.to - token.from));
    result.tags = QStringList(tokens.size(), u"O"_s);
    result.whitespaceChanged = result.tokens.join(u' ') != text;

    struct Entity
    {
        Span span;
        QString name;
    };
    QList<Entity> entities;
    for (const Annotation &annotation : exportItem.annotations) {
        if (const Span *span = std::get_if<Span>(&annotation.shape))
            entities.append(Entity{*span, names.value(annotation.classId)});
    }
    // By start, the longest first: of overlapping spans the outermost is kept.
    std::stable_sort(entities.begin(), entities.end(), [](const Entity &a, const Entity &b) {
        return a.span.start != b.span.start ? a.span.start < b.span.start : a.span.end > b.span.end;
    });
    QList<bool> taken(tokens.size(), false);
    for (const Entity &entity : entities) {
        const auto first = std::find_if(tokens.begin(), tokens.end(),
                                        [&](const Token &t) { return t.end > entity.span.start; });
        qsizetype a = first - tokens.begin();
        qsizetype b = a;
        while (b < tokens.size() && tokens[b].start < entity.span.end)
            ++b;
        if (entity.span.start >= entity.span.end || a >= b) {
            ++result.wordless;
            continue;
        }
        if (std::any_of(taken.begin() + a, taken.begin() + b, [](bool t) { return t; })) {
            ++result.overlapping;
            continue;
        }
        if (tokens[a].start != entity.span.start || tokens[b - 1].end != entity.span.end)
            ++result.extended;
        for (qsizetype i = a; i < b; ++i) {
            taken[i] = true;
            result.tags[i] = (i == a ? u"B-"_s : u"I-"_s) + entity.name;
        }
    }
    return result;
}

// One token line of a CoNLL file, its tag split into a prefix (O, B, I, E, S) and a type.
struct Row
{
    int line = 0;
    QString token;
    QChar prefix;
    QString type;
};

struct Sentence
{
    QList<Row> rows;
};

// "B-PER" to ('B', "PER"); BILOU's L and U are BIOES's E and S. Empty prefix: not a tag.
std::pair<QChar, QString> splitTag(const QString &tag)
{
    if (tag == u"O"_s)
        return {u'O', QString()};
    if (tag.size() < 3 || tag[1] != u'-')
        return {};
    static const QString prefixes = u"BIESLU"_s;
    if (!prefixes.contains(tag[0]))
        return {};
    QChar prefix = tag[0];
    if (prefix == u'L')
        prefix = u'E';
    else if (prefix == u'U')
        prefix = u'S';
    return {prefix, tag.mid(2)};
}

// IOB1 starts an entity with I- and uses B- only between two entities of one type. A file is
// read as IOB1 when it has no E/S tags and every B-X directly follows an X.
bool looksLikeIob1(const QList<Sentence> &sentences)
{
    for (const Sentence &sentence : sentences) {
        for (qsizetype i = 0; i < sentence.rows.size(); ++i) {
            const Row &row = sentence.rows[i];
            if (row.prefix == u'E' || row.prefix == u'S')
                return false;
            if (row.prefix == u'B') {
                if (i == 0 || sentence.rows[i - 1].prefix == u'O' ||
                    sentence.rows[i - 1].type != row.type)
                    return false;
            }
        }
    }
    return true;
}

QString tagName(const Row &row)
{
    return row.prefix == u'O' ? u"O"_s : QString(row.prefix) + u'-' + row.type;
}

} // namespace

QString ConllFormat::name() const
{
    return u"conll"_s;
}

QString ConllFormat::displayName() const
{
    return u"CoNLL (IOB2)"_s;
}

FormatCapabilities ConllFormat::capabilities() const
{
    return FormatCapabilities{{TaskType::Spans}, true, true, false};
}

QString ConllFormat::fileFilter() const
{
    return u"CoNLL (*.conll *.iob *.bio *.txt)"_s;
}

LossReport ConllFormat::lossReport(const ExportData &data) const
{
    const QHash<qint64, QString> names = classNamesById(data.task);
    qsizetype extended = 0, overlapping = 0, wordless = 0, reshaped = 0, empty = 0;
    for (const ExportItem &item : data.items) {
        const TaggedText tagged = tagText(item, names);
        extended += tagged.extended;
        overlapping += tagged.overlapping;
        wordless += tagged.wordless;
        if (tagged.tokens.isEmpty())
            ++empty;
        else if (tagged.whitespaceChanged)
            ++reshaped;
    }
    LossReport report;
    if (extended > 0)
        report.losses.append(u"%1 spans start or end inside a word and are widened to whole "
                             u"words: CoNLL tags whole tokens"_s.arg(extended));
    if (overlapping > 0)
        report.losses.append(u"%1 spans overlap or nest in a longer span that starts no later "
                             u"and are dropped: IOB2 tags each token once"_s.arg(overlapping));
    if (wordless > 0)
        report.losses.append(
            u"%1 spans cover no word (only blanks, or nothing) and are dropped"_s.arg(wordless));
    if (reshaped > 0)
        report.losses.append(u"the whitespace of %1 texts is not kept: CoNLL holds tokens, "
                             u"which read back joined by single spaces"_s.arg(reshaped));
    if (empty > 0)
        report.losses.append(
            u"%1 texts hold no word and are not written: CoNLL has no empty sentences"_s.arg(
                empty));
    appendTextFormatLosses(report, data, {ShapeKind::Span}, u"CoNLL"_s, u"text spans"_s);
    return report;
}

Result<void> ConllFormat::writeData(const ExportData &data, const QString &path,
                                    const Progress &progress) const
{
    const QHash<qint64, QString> names = classNamesById(data.task);
    // QSaveFile writes beside the target and renames on commit, so a crash, an error or a
    // cancel leaves either the old file or none, never half of one.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(u"cannot write %1: %2"_s.arg(path, file.errorString()));
    for (qsizetype i = 0; i < data.items.size(); ++i) {
        if (!progress.advance(i, data.items.size())) {
            file.cancelWriting();
            return formatCancelled();
        }
        const ExportItem &item = data.items[i];
        for (const Annotation &annotation : item.annotations) {
            if (shapeKind(annotation.shape) == ShapeKind::Span &&
                !names.contains(annotation.classId)) {
                file.cancelWriting();
                return unknownClassError(path, item.item, annotation.classId, data.task);
            }
        }
        const TaggedText tagged = tagText(item, names);
        if (tagged.tokens.isEmpty())
            continue; // counted by lossReport
        QByteArray block;
        for (qsizetype t = 0; t < tagged.tokens.size(); ++t)
            block += tagged.tokens[t].toUtf8() + '\t' + tagged.tags[t].toUtf8() + '\n';
        block += '\n';
        file.write(block);
    }
    if (!file.commit())
        return makeError(u"cannot write %1: %2"_s.arg(path, file.errorString()));
    return {};
}

Result<FormatReadResult> ConllFormat::readPath(const QString &path, const Progress &progress) const
{
    const Result<QString> text = readUtf8File(path);
    if (!text)
        return text.error();
    FormatReadResult result;
    // Found in two passes (lines, then tags); reported in the order of the file.
    QList<std::pair<int, QString>> problems;
    auto problem = [&](int line, const QString &reason) {
        problems.append({line, reason});
    };

    QList<Sentence> sentences;
    Sentence current;
    auto endSentence = [&] {
        if (!current.rows.isEmpty())
            sentences.append(std::move(current));
        current = Sentence{};
    };
    const QStringList lines = text->split(u'\n');
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const int line = int(n + 1);
        const QString &raw = lines[n];
        if (raw.trimmed().isEmpty()) {
            endSentence();
            continue;
        }
        // Tab-separated lines may hold spaces in a column (a class "hot dog"); others are the
        // space-separated CoNLL-2003 columns.
        QStringList columns;
        if (raw.contains(u'\t')) {
            for (const QString &column : raw.split(u'\t')) {
                if (!column.trimmed().isEmpty())
                    columns.append(column.trimmed());
            }
        } else {
            columns = raw.simplified().split(u' ', Qt::SkipEmptyParts);
        }
        if (columns.front() == kDocStart)
            continue;
        if (columns.size() < 2) {
            problem(line, u"expected a token and a tag separated by a tab or spaces, found one "
                          u"column \"%1\"; the line is skipped"_s.arg(columns.front()));
            continue;
        }
        Row row{line, columns.front(), QChar(), QString()};
        const QString &tag = columns.back();
        std::tie(row.prefix, row.type) = splitTag(tag);
        if (row.prefix.isNull()) {
            problem(line, u"unknown tag \"%1\": expected O, or B-, I-, E-, S-, L- or U- before "
                          u"a class name; the token is read as O"_s.arg(tag));
            row.prefix = u'O';
        }
        current.rows.append(std::move(row));
    }
    endSentence();

    const bool iob1 = looksLikeIob1(sentences);
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const QString fileName = QFileInfo(path).fileName();
    for (qsizetype s = 0; s < sentences.size(); ++s) {
        if (!progress.advance(s, sentences.size()))
            return formatCancelled();
        const QList<Row> &rows = sentences[s].rows;
        ImportedItem item;
        item.path = absolute;
        item.sourceRef = lineRef(fileName, rows.front().line);
        QStringList tokens;
        qint64 offset = 0;
        QString openType;
        bool open = false;
        qint64 entityStart = 0, entityEnd = 0;
        auto close = [&] {
            if (!open)
                return;
            ImportedAnnotation annotation;
            annotation.className = openType;
            annotation.shape = Span{entityStart, entityEnd};
            item.annotations.append(std::move(annotation));
            if (!result.classes.contains(openType))
                result.classes.append(openType);
            open = false;
        };
        auto start = [&](const QString &type, qint64 from) {
            close();
            open = true;
            openType = type;
            entityStart = from;
        };
        for (const Row &row : rows) {
            const qint64 tokenStart = offset;
            const qint64 tokenEnd = offset + codePointLength(row.token);
            offset = tokenEnd + 1;
            tokens.append(row.token);
            const bool continues = open && openType == row.type;
            switch (row.prefix.unicode()) {
            case u'B':
                start(row.type, tokenStart);
                break;
            case u'I':
            case u'E':
                if (!continues) {
                    if (row.prefix == u'E' || !iob1)
                        problem(row.line,
                                u"%1 does not continue a %2 entity (no B-%2 before it): read as "
                                u"the start of one"_s.arg(tagName(row), row.type));
                    start(row.type, tokenStart);
                }
                break;
            case u'S':
                start(row.type, tokenStart);
                break;
            default:
                close();
                continue;
            }
            entityEnd = tokenEnd;
            if (row.prefix == u'E' || row.prefix == u'S')
                close();
        }
        close();
        item.text = tokens.join(u' ');
        result.items.append(std::move(item));
    }
    std::stable_sort(problems.begin(), problems.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    for (const auto &[line, reason] : problems)
        result.problems.append(FormatProblem{lineRef(path, line), reason});
    return result;
}

} // namespace fieldmark
