#pragma once

#include "core/util/result.h"

#include <QStringList>

#include <gtest/gtest.h>

#include <string>

namespace fieldmark::test {

// GoogleTest assertions over Result<T>, so a failure prints the message the code gave.

inline std::string str(const QString &s)
{
    return s.toStdString();
}

// Passes when `result` failed with a message that contains every one of `words`.
template<typename T>
testing::AssertionResult failsMentioning(const Result<T> &result, const QStringList &words)
{
    if (result.ok())
        return testing::AssertionFailure() << "expected an error, but the call succeeded";
    const QString &message = result.errorString();
    for (const QString &word : words) {
        if (!message.contains(word, Qt::CaseInsensitive))
            return testing::AssertionFailure()
                   << "message \"" << str(message) << "\" does not mention \"" << str(word) << '"';
    }
    return testing::AssertionSuccess() << "message: " << str(message);
}

template<typename T>
testing::AssertionResult succeeds(const Result<T> &result)
{
    if (result.ok())
        return testing::AssertionSuccess();
    return testing::AssertionFailure() << "failed with: " << str(result.errorString());
}

} // namespace fieldmark::test
