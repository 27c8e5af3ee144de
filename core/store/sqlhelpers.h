#pragma once

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

// Small pieces the ProjectStore's source files share; not part of any interface.
namespace fieldmark::storedetail {

inline qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

inline QString toJson(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

inline QVariant nullableId(qint64 id)
{
    return id > 0 ? QVariant(id) : QVariant(QMetaType(QMetaType::LongLong));
}

// A write transaction that rolls back unless committed. BEGIN IMMEDIATE takes the write lock
// up front, so a second process waits (busy timeout) instead of failing half-way through.
// Inside another transaction of the same connection (`depth` counts them) it is a savepoint,
// so several edits can be made one: each still undoes its own part when it fails.
class WriteTransaction
{
public:
    WriteTransaction(const QSqlDatabase &db, int &depth)
        : m_query(db)
        , m_depth(depth)
        , m_savepoint(QStringLiteral("fm_%1").arg(depth))
    {
        m_open = m_query.exec(depth == 0 ? QStringLiteral("BEGIN IMMEDIATE")
                                         : QStringLiteral("SAVEPOINT ") + m_savepoint);
        if (m_open)
            ++m_depth;
    }
    ~WriteTransaction()
    {
        if (!m_open)
            return;
        --m_depth;
        if (m_depth == 0) {
            m_query.exec(QStringLiteral("ROLLBACK"));
        } else {
            m_query.exec(QStringLiteral("ROLLBACK TO ") + m_savepoint);
            m_query.exec(QStringLiteral("RELEASE ") + m_savepoint);
        }
    }
    WriteTransaction(const WriteTransaction &) = delete;
    WriteTransaction &operator=(const WriteTransaction &) = delete;

    bool isOpen() const { return m_open; }
    QString errorText() const { return m_query.lastError().text(); }
    bool commit()
    {
        const bool outermost = m_depth == 1;
        if (!m_query.exec(outermost ? QStringLiteral("COMMIT")
                                    : QStringLiteral("RELEASE ") + m_savepoint))
            return false;
        m_open = false;
        --m_depth;
        return true;
    }

private:
    QSqlQuery m_query;
    int &m_depth;
    QString m_savepoint;
    bool m_open = false;
};

} // namespace fieldmark::storedetail
