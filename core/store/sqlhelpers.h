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
class WriteTransaction
{
public:
    explicit WriteTransaction(const QSqlDatabase &db)
        : m_query(db)
    {
        m_open = m_query.exec(QStringLiteral("BEGIN IMMEDIATE"));
    }
    ~WriteTransaction()
    {
        if (m_open)
            m_query.exec(QStringLiteral("ROLLBACK"));
    }
    bool isOpen() const { return m_open; }
    QString errorText() const { return m_query.lastError().text(); }
    bool commit()
    {
        m_open = !m_query.exec(QStringLiteral("COMMIT"));
        return !m_open;
    }

private:
    QSqlQuery m_query;
    bool m_open = false;
};

} // namespace fieldmark::storedetail
