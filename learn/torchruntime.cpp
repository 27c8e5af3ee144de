#include "torchruntime.h"

#include <QThread>

#include <torch/torch.h>

namespace fieldmark {

int configureTorchThreads(int requested)
{
    const int cores = std::max(1, QThread::idealThreadCount());
    const int threads = requested > 0 ? requested : std::max(1, cores - 1);
    torch::set_num_threads(threads);
    // Inter-op parallelism can only be set once per process, before any parallel work.
    static const bool interOpSet = [] {
        try {
            torch::set_num_interop_threads(1);
        } catch (const c10::Error &) {
            return false;
        }
        return true;
    }();
    Q_UNUSED(interOpSet);
    return threads;
}

QString torchRuntimeDescription()
{
    return QStringLiteral("LibTorch %1, %2 thread(s), %3")
        .arg(QString::fromLatin1(TORCH_VERSION))
        .arg(torch::get_num_threads())
        .arg(torch::cuda::is_available() ? QStringLiteral("CUDA") : QStringLiteral("CPU"));
}

} // namespace fieldmark
