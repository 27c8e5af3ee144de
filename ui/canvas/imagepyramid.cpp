#include "imagepyramid.h"

namespace fieldmark {

std::shared_ptr<const ImagePyramid> ImagePyramid::build(QImage image,
                                                        const std::atomic_bool *cancel)
{
    if (image.isNull())
        return nullptr;
    // The raster engine draws these two formats without converting; any other format would be
    // converted whole on every draw.
    const QImage::Format format =
        image.hasAlphaChannel() ? QImage::Format_ARGB32_Premultiplied : QImage::Format_RGB32;
    if (image.format() != format)
        image.convertTo(format);
    auto pyramid = std::make_shared<ImagePyramid>();
    pyramid->m_size = image.size();
    pyramid->m_levels.append(image);
    while (std::max(image.width(), image.height()) > SmallestSide) {
        if (cancel && cancel->load())
            return nullptr;
        image = image.scaled(std::max(1, image.width() / 2), std::max(1, image.height() / 2),
                             Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        pyramid->m_levels.append(image);
    }
    return pyramid;
}

std::shared_ptr<const ImagePyramid> ImagePyramid::preview(QImage reduced, QSize fullSize)
{
    if (reduced.isNull() || fullSize.isEmpty())
        return nullptr;
    reduced.convertTo(reduced.hasAlphaChannel() ? QImage::Format_ARGB32_Premultiplied
                                                : QImage::Format_RGB32);
    auto pyramid = std::make_shared<ImagePyramid>();
    pyramid->m_size = fullSize;
    pyramid->m_preview = true;
    pyramid->m_levels.append(reduced);
    return pyramid;
}

int ImagePyramid::levelFor(double scale) const
{
    int index = 0;
    const double fullWidth = m_size.width();
    for (int i = 1; i < m_levels.size(); ++i) {
        const double levelScale = m_levels.at(i).width() / fullWidth;
        if (levelScale < scale)
            break;
        index = i;
    }
    return index;
}

qint64 ImagePyramid::byteCount() const
{
    qint64 bytes = 0;
    for (const QImage &level : m_levels)
        bytes += level.sizeInBytes();
    return bytes;
}

} // namespace fieldmark
