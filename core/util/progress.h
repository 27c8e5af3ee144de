#pragma once

#include <QtGlobal>

#include <functional>

namespace fieldmark {

// How far a long job (a read, a write, a training run) has come, and whether the user asked to
// stop. Workers call advance() about once per item on the thread they run on; when it returns
// false they stop, leaving nothing half-done behind.
class Progress
{
public:
    // Called with (done, total); returns false to cancel. total is -1 while unknown.
    using Callback = std::function<bool(qint64 done, qint64 total)>;

    Progress() = default;
    explicit Progress(Callback callback)
        : m_callback(std::move(callback))
    {}

    bool advance(qint64 done, qint64 total) const { return !m_callback || m_callback(done, total); }

private:
    Callback m_callback;
};

} // namespace fieldmark
