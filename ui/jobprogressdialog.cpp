#include "jobprogressdialog.h"

#include <QTimer>

#include <limits>

namespace fieldmark {

Progress JobProgressState::progressFor(const std::shared_ptr<JobProgressState> &state)
{
    return Progress([state](qint64 done, qint64 total) {
        state->done.store(done);
        state->total.store(total);
        return !state->cancelRequested.load();
    });
}

JobProgressDialog::JobProgressDialog(std::shared_ptr<JobProgressState> state,
                                     const QString &startText, CountText countText, QWidget *parent)
    : QProgressDialog(parent)
    , m_state(std::move(state))
    , m_startText(startText)
    , m_countText(std::move(countText))
{
    setLabelText(startText);
    // Not modal: a modal QProgressDialog runs the event loop inside setValue().
    setWindowModality(Qt::NonModal);
    setAutoClose(false);
    setAutoReset(false);
    setRange(0, 0);
    // Shown by our own timer: QProgressDialog restarts its own whenever the value equals the
    // minimum, which is always while the total is unknown. Short jobs never flash it.
    setMinimumDuration(std::numeric_limits<int>::max());
    QTimer::singleShot(400, this, [this] {
        if (m_timer)
            show();
    });
    connect(this, &QProgressDialog::canceled, this, [this] {
        m_state->cancelRequested.store(true);
        setLabelText(tr("Stopping\u2026"));
    });

    m_timer = new QTimer(this);
    m_timer->setInterval(100);
    connect(m_timer, &QTimer::timeout, this, &JobProgressDialog::update);
    m_timer->start();
}

void JobProgressDialog::finish()
{
    if (m_timer) {
        m_timer->stop();
        m_timer->deleteLater();
        m_timer = nullptr;
    }
    hide();
}

void JobProgressDialog::update()
{
    if (m_state->cancelRequested.load())
        return; // keeps saying "Stopping..."
    const qint64 done = m_state->done.load();
    const qint64 total = m_state->total.load();
    setLabelText(total < 0 && done == 0 ? m_startText : m_countText(done, total));
    if (total <= 0) {
        setRange(0, 0);
        setValue(0);
    } else {
        // QProgressDialog counts in int.
        setRange(0, 1000);
        setValue(int(std::min<qint64>(1000, done * 1000 / total)));
    }
}

} // namespace fieldmark
