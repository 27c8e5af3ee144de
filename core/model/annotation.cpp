#include "annotation.h"

#include <QDataStream>
#include <QIODevice>

namespace fieldmark {

QString shapeKindName(ShapeKind kind)
{
    switch (kind) {
    case ShapeKind::ClassTag:
        return QStringLiteral("class");
    case ShapeKind::Box:
        return QStringLiteral("box");
    case ShapeKind::Polygon:
        return QStringLiteral("polygon");
    case ShapeKind::Mask:
        return QStringLiteral("mask");
    case ShapeKind::Span:
        return QStringLiteral("span");
    }
    return QStringLiteral("unknown");
}

namespace {

template<class... Ts>
struct Overloaded : Ts...
{
    using Ts::operator()...;
};

} // namespace

QByteArray encodeShape(const Shape &shape)
{
    QByteArray bytes(""); // never null: a class tag is an empty blob, not SQL NULL
    if (std::holds_alternative<Mask>(shape))
        return std::get<Mask>(shape).rle.toBytes();
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out.setFloatingPointPrecision(QDataStream::DoublePrecision);
    std::visit(Overloaded{
                   [](const ClassTag &) {},
                   [&](const Box &b) { out << b.x << b.y << b.width << b.height; },
                   [&](const Polygon &p) {
                       out << quint32(p.points.size());
                       for (const QPointF &pt : p.points)
                           out << pt.x() << pt.y();
                   },
                   [](const Mask &) {},
                   [&](const Span &s) { out << s.start << s.end; },
               },
               shape);
    return bytes;
}

Result<Shape> decodeShape(ShapeKind kind, const QByteArray &bytes)
{
    if (kind == ShapeKind::Mask) {
        auto rle = RleMask::fromBytes(bytes);
        if (!rle)
            return rle.error();
        return Shape(Mask{std::move(rle).value()});
    }
    QDataStream in(bytes);
    in.setVersion(QDataStream::Qt_6_4);
    in.setFloatingPointPrecision(QDataStream::DoublePrecision);
    Shape shape;
    switch (kind) {
    case ShapeKind::ClassTag:
        shape = ClassTag{};
        break;
    case ShapeKind::Box: {
        Box b;
        in >> b.x >> b.y >> b.width >> b.height;
        shape = b;
        break;
    }
    case ShapeKind::Polygon: {
        quint32 n = 0;
        in >> n;
        if (qsizetype(n) * 16 > bytes.size())
            return makeError(
                QStringLiteral("polygon data is truncated (%1 points declared)").arg(n));
        Polygon p;
        p.points.reserve(n);
        for (quint32 i = 0; i < n; ++i) {
            double x, y;
            in >> x >> y;
            p.points.append(QPointF(x, y));
        }
        shape = p;
        break;
    }
    case ShapeKind::Span: {
        Span s;
        in >> s.start >> s.end;
        shape = s;
        break;
    }
    default:
        return makeError(QStringLiteral("unknown shape kind %1").arg(int(kind)));
    }
    if (in.status() != QDataStream::Ok)
        return makeError(QStringLiteral("%1 data is truncated").arg(shapeKindName(kind)));
    return shape;
}

} // namespace fieldmark
