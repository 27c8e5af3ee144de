#pragma once

#include <QString>

#include <optional>
#include <utility>

namespace fieldmark {

// What went wrong, in words a user can act on: the message names the file, line or field.
struct Error
{
    QString message;
};

inline Error makeError(QString message)
{
    return Error{std::move(message)};
}

// A value or an error message, for every function that can fail on user input
// (std::expected arrives with C++23; this is the part of it we need).
template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_value(std::move(value))
    {}
    Result(Error error)
        : m_error(std::move(error))
    {}

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return *m_value; }
    T &value() & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    const T &operator*() const & { return *m_value; }
    T &operator*() & { return *m_value; }
    const T *operator->() const { return &*m_value; }
    T *operator->() { return &*m_value; }

    const Error &error() const { return m_error; }
    const QString &errorString() const { return m_error.message; }

private:
    std::optional<T> m_value;
    Error m_error;
};

template<>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error)
        : m_failed(true)
        , m_error(std::move(error))
    {}

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return m_error; }
    const QString &errorString() const { return m_error.message; }

private:
    bool m_failed = false;
    Error m_error;
};

} // namespace fieldmark
