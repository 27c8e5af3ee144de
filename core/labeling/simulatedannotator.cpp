#include "simulatedannotator.h"

#include "core/labeling/itemanswers.h"
#include "core/store/projectstore.h"

#include <QDateTime>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace fieldmark {

SimulatedAnnotator::SimulatedAnnotator(ProjectStore &store, LabelTask task,
                                       QHash<qint64, LearnerTruth> truth, double errorRate,
                                       quint64 seed)
    : m_store(&store)
    , m_task(std::move(task))
    , m_truth(std::move(truth))
    , m_errorRate(errorRate)
    , m_engine(seed)
{
    for (const LabelClass &c : m_task.classes)
        m_classIds.insert(c.position, c.id);
}

Result<LearnerTruth> SimulatedAnnotator::answerFor(qint64 item)
{
    const auto known = m_truth.constFind(item);
    if (known == m_truth.cend())
        return makeError(u"the oracle has no answer for item %1"_s.arg(item));
    LearnerTruth answer = normalisedAnswer(*known);
    std::uniform_real_distribution<double> coin(0, 1);
    if (m_errorRate <= 0 || coin(m_engine) >= m_errorRate || m_classIds.isEmpty())
        return answer;
    QList<int> positions = m_classIds.keys();
    std::sort(positions.begin(), positions.end());
    const auto pick = [&](qsizetype n) {
        return qsizetype(m_engine() % quint64(n));
    };
    if (m_task.type == TaskType::Spans) {
        if (!answer.spans.isEmpty()) {
            answer.spans.removeAt(pick(answer.spans.size()));
        } else {
            auto text = m_store->item(item);
            if (!text)
                return text.error();
            // Code points, as spans count them.
            const QList<uint> points = text->text.toUcs4();
            qint64 start = 0;
            while (start < points.size() && QChar::isSpace(char32_t(points[start])))
                ++start;
            qint64 end = start;
            while (end < points.size() && !QChar::isSpace(char32_t(points[end])))
                ++end;
            if (end > start)
                answer.spans.append({Span{start, end}, positions[pick(positions.size())]});
        }
    } else if (isMultiLabel(m_task.type)) {
        const int flipped = positions[pick(positions.size())];
        if (answer.classes.contains(flipped))
            answer.classes.removeAll(flipped);
        else
            answer.classes.append(flipped);
    } else if (positions.size() > 1) {
        const int right = answer.classes.value(0, -1);
        int wrong = right;
        while (wrong == right)
            wrong = positions[pick(positions.size())];
        answer.classes = {wrong};
    }
    return normalisedAnswer(std::move(answer));
}

Result<void> SimulatedAnnotator::answer(const QList<qint64> &items)
{
    auto person = m_store->annotatorId(u"simulated annotator"_s);
    if (!person)
        return person.error();
    const bool spans = m_task.type == TaskType::Spans;
    const QList<qint64> skippedList = m_store->skippedItems(m_task.id);
    const QSet<qint64> skipped(skippedList.begin(), skippedList.end());
    return m_store->transact([&]() -> Result<void> {
        QList<Annotation> added;
        const qint64 time = QDateTime::currentMSecsSinceEpoch();
        for (qint64 item : items) {
            auto answer = answerFor(item);
            if (!answer)
                return answer.error();
            LearnerTruth missing = *answer;
            // Review what the model proposed.
            for (Annotation a : m_store->annotations(item, m_task.id)) {
                if (a.provenance.state != LabelState::Machine)
                    continue;
                const LabelClass *c = m_task.classById(a.classId);
                bool right = false;
                if (c && spans && shapeKind(a.shape) == ShapeKind::Span) {
                    const std::pair<Span, int> proposed{std::get<Span>(a.shape), c->position};
                    right = missing.spans.removeOne(proposed);
                } else if (c && !spans && shapeKind(a.shape) == ShapeKind::ClassTag) {
                    right = missing.classes.removeOne(c->position);
                }
                a.provenance.state = right ? LabelState::MachineAccepted : LabelState::Rejected;
                a.provenance.annotatorId = *person;
                if (auto reviewed = m_store->updateAnnotation(a); !reviewed)
                    return reviewed;
            }
            if (isEmptyAnswer(*answer)) {
                if (auto marked =
                        m_store->setSkipped(item, m_task.id, u"nothing to label"_s, *person);
                    !marked)
                    return marked;
                continue;
            }
            if (skipped.contains(item)) {
                if (auto cleared = m_store->setSkipped(item, m_task.id, {}); !cleared)
                    return cleared;
            }
            Annotation a;
            a.itemId = item;
            a.taskId = m_task.id;
            a.provenance.annotatorId = *person;
            a.provenance.timeMs = time;
            for (int position : std::as_const(missing.classes)) {
                a.classId = m_classIds.value(position);
                a.shape = ClassTag{};
                added.append(a);
            }
            for (const auto &[span, position] : std::as_const(missing.spans)) {
                a.classId = m_classIds.value(position);
                a.shape = span;
                added.append(a);
            }
        }
        if (auto written = m_store->addAnnotations(added, u"simulation"_s); !written)
            return written.error();
        return {};
    });
}

} // namespace fieldmark
