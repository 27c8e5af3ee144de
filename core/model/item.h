#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace fieldmark {

enum class ItemKind {
    Image = 0,
    Text = 1,
};

// One thing to label: an image file kept where the user keeps it, or a text.
// Images are referenced by path plus size and content hash, so a moved folder can be relinked.
struct Item
{
    qint64 id = 0;
    ItemKind kind = ItemKind::Image;
    QString path; // absolute path of the medium; for text, the file it came from, if any
    qint64 fileSize = 0;
    QByteArray hash; // "sha1:<hex>" of the file's (or the text's UTF-8) content
    int width = 0;   // images only, from the file header
    int height = 0;
    QString text;      // text items only
    QString sourceRef; // where it came from: a manifest's source-ref, a JSONL line, a CSV row
    QJsonObject extra; // keys of the source record that Fieldmark does not interpret, kept
    qint64 addedAtMs = 0;
};

QString itemKindName(ItemKind kind);

} // namespace fieldmark
