#include "itemanswers.h"

#include "core/store/projectstore.h"

#include <QJsonArray>

#include <algorithm>
#include <tuple>

using namespace Qt::StringLiterals;

namespace fieldmark {

bool labelingSupports(TaskType type)
{
    switch (type) {
    case TaskType::ImageClassification:
    case TaskType::TextClassification:
    case TaskType::ImageMultiLabel:
    case TaskType::TextMultiLabel:
    case TaskType::Spans:
        return true;
    case TaskType::Boxes:
    case TaskType::Segmentation:
        return false;
    }
    return false;
}

bool emptyAnswerAllowed(TaskType type)
{
    return isMultiLabel(type) || type == TaskType::Spans;
}

bool calibratesPerClass(TaskType type)
{
    return type == TaskType::ImageClassification || type == TaskType::TextClassification;
}

LearnerTruth normalisedAnswer(LearnerTruth answer)
{
    std::sort(answer.classes.begin(), answer.classes.end());
    answer.classes.erase(std::unique(answer.classes.begin(), answer.classes.end()),
                         answer.classes.end());
    const auto key = [](const std::pair<Span, int> &s) {
        return std::tuple(s.first.start, s.first.end, s.second);
    };
    std::sort(answer.spans.begin(), answer.spans.end(),
              [&](const auto &a, const auto &b) { return key(a) < key(b); });
    answer.spans.erase(std::unique(answer.spans.begin(), answer.spans.end()), answer.spans.end());
    return answer;
}

bool sameAnswer(const LearnerTruth &a, const LearnerTruth &b)
{
    return a.classes == b.classes && a.spans == b.spans;
}

bool isEmptyAnswer(const LearnerTruth &answer)
{
    return answer.classes.isEmpty() && answer.spans.isEmpty() && answer.shapes.isEmpty();
}

QJsonObject answerToJson(const LearnerTruth &answer)
{
    QJsonArray classes, spans;
    for (int c : answer.classes)
        classes.append(c);
    for (const auto &[span, c] : answer.spans)
        spans.append(QJsonArray{span.start, span.end, c});
    return QJsonObject{{u"classes"_s, classes}, {u"spans"_s, spans}};
}

LearnerTruth answerFromJson(const QJsonObject &json)
{
    LearnerTruth answer;
    for (const QJsonValue &c : json.value(u"classes"_s).toArray())
        answer.classes.append(c.toInt());
    for (const QJsonValue &v : json.value(u"spans"_s).toArray()) {
        const QJsonArray s = v.toArray();
        answer.spans.append({Span{s.at(0).toInteger(), s.at(1).toInteger()}, s.at(2).toInt()});
    }
    return normalisedAnswer(std::move(answer));
}

TaskAnswers readTaskAnswers(const ProjectStore &store, const LabelTask &task)
{
    const bool spans = task.type == TaskType::Spans;
    const ShapeKind kind = spans ? ShapeKind::Span : ShapeKind::ClassTag;
    struct Labels
    {
        LearnerTruth own;      // Human, MachineEdited
        LearnerTruth accepted; // MachineAccepted
        LearnerTruth pending;  // Machine
        bool hasOwn = false, hasAccepted = false, hasPending = false;
    };
    QHash<qint64, Labels> byItem;
    TaskAnswers answers;
    for (const Annotation &a : store.taskAnnotations(task.id)) {
        if (shapeKind(a.shape) != kind || a.provenance.state == LabelState::Rejected)
            continue;
        const LabelClass *c = task.classById(a.classId);
        if (!c)
            continue;
        Labels &labels = byItem[a.itemId];
        LearnerTruth *into = nullptr;
        switch (a.provenance.state) {
        case LabelState::Human:
        case LabelState::MachineEdited:
            into = &labels.own;
            labels.hasOwn = true;
            break;
        case LabelState::MachineAccepted:
            into = &labels.accepted;
            labels.hasAccepted = true;
            break;
        case LabelState::Machine:
            into = &labels.pending;
            labels.hasPending = true;
            answers.pending[a.itemId].append(a.id);
            break;
        case LabelState::Rejected:
            break;
        }
        if (spans)
            into->spans.append({std::get<Span>(a.shape), c->position});
        else
            into->classes.append(c->position);
    }
    const QList<qint64> modelSkips = store.modelSkippedItems(task.id);
    answers.modelSkipped = QSet<qint64>(modelSkips.begin(), modelSkips.end());
    QSet<qint64> personSkipped;
    for (qint64 item : store.skippedItems(task.id)) {
        if (!answers.modelSkipped.contains(item))
            personSkipped.insert(item);
    }

    const bool emptyAllowed = emptyAnswerAllowed(task.type);
    const auto merged = [](LearnerTruth a, const LearnerTruth &b) {
        a.classes += b.classes;
        a.spans += b.spans;
        return normalisedAnswer(std::move(a));
    };
    for (qint64 item : std::as_const(personSkipped)) {
        if (emptyAllowed)
            answers.human.insert(item, LearnerTruth{});
        else
            answers.skipped.insert(item);
    }
    for (auto it = byItem.cbegin(); it != byItem.cend(); ++it) {
        const qint64 item = it.key();
        const Labels &l = it.value();
        if (personSkipped.contains(item))
            continue;
        if (l.hasOwn)
            answers.human.insert(item, merged(l.own, l.accepted));
        else if (l.hasPending)
            answers.machine.insert(item, merged(l.pending, l.accepted));
        else if (!answers.modelSkipped.contains(item) && l.hasAccepted)
            answers.human.insert(item, normalisedAnswer(l.accepted));
    }
    for (qint64 item : std::as_const(answers.modelSkipped)) {
        if (answers.human.contains(item) || answers.machine.contains(item))
            continue;
        if (emptyAllowed)
            answers.machine.insert(item, LearnerTruth{});
        else
            answers.skipped.insert(item);
    }
    return answers;
}

MachineAnswer machineAnswer(TaskType type, const LearnerPrediction &prediction)
{
    MachineAnswer m;
    const std::vector<float> &p = prediction.probabilities;
    if (calibratesPerClass(type)) {
        if (p.empty()) {
            m.calibrationClass = -1;
            return m;
        }
        const auto best = std::max_element(p.begin(), p.end());
        m.calibrationClass = int(best - p.begin());
        m.confidence = *best;
        m.answer.classes = {m.calibrationClass};
        return m;
    }
    if (isMultiLabel(type)) {
        if (p.empty())
            return m;
        double least = 1;
        m.classConfidence.resize(p.size());
        for (size_t c = 0; c < p.size(); ++c) {
            const float sure = std::max(p[c], 1.f - p[c]);
            m.classConfidence[c] = sure;
            least = std::min<double>(least, sure);
            if (p[c] >= 0.5f)
                m.answer.classes.append(int(c));
        }
        m.confidence = least;
        return m;
    }
    double least = 1;
    for (const PredictedSpan &s : prediction.spans) {
        m.answer.spans.append({s.span, s.classPosition});
        least = std::min<double>(least, s.confidence);
    }
    m.answer = normalisedAnswer(std::move(m.answer));
    if (prediction.confidence)
        m.confidence = *prediction.confidence;
    else
        m.confidence = prediction.spans.isEmpty() ? 0 : least;
    return m;
}

qsizetype matchingSpans(const LearnerTruth &predicted, const LearnerTruth &truth)
{
    qsizetype matched = 0;
    for (const auto &s : predicted.spans)
        matched += truth.spans.contains(s) ? 1 : 0;
    return matched;
}

} // namespace fieldmark
