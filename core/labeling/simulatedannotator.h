#pragma once

#include "core/labeling/learner.h"
#include "core/model/labeltask.h"
#include "core/util/result.h"

#include <QHash>

#include <random>

namespace fieldmark {

class ProjectStore;

// A person answering a labeling job's requests from an oracle of true answers (a class, a set
// of classes, or spans), wrong on an item at a set rate: another class; one class of the set
// added or left out; one entity left out, or a made-up one on the first word of a text with
// none. Items that already hold machine labels (audit samples) are reviewed as in the editor:
// the proposals the answer contains are accepted, the others rejected, what is missing is
// added; an empty answer is a person's "nothing to label" (which replaces a model's).
class SimulatedAnnotator
{
public:
    SimulatedAnnotator(ProjectStore &store, LabelTask task, QHash<qint64, LearnerTruth> truth,
                       double errorRate, quint64 seed);

    // Answers the items (in one transaction); fails naming an item the oracle does not know.
    Result<void> answer(const QList<qint64> &items);

private:
    Result<LearnerTruth> answerFor(qint64 item);

    ProjectStore *m_store;
    LabelTask m_task;
    QHash<qint64, LearnerTruth> m_truth;
    QHash<int, qint64> m_classIds;
    double m_errorRate = 0;
    std::mt19937_64 m_engine;
};

} // namespace fieldmark
