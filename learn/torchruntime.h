#pragma once

#include <QString>

namespace fieldmark {

// How the learners use the CPU: intra-op threads for training and inference leave one core
// to the GUI thread (at least one thread). Returns the number of threads set.
int configureTorchThreads(int requested = 0);

// "LibTorch 1.13.1, 1 thread(s), CPU", for --version and the about box.
QString torchRuntimeDescription();

} // namespace fieldmark
