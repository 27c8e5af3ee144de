#pragma once

#include <QImage>
#include <QList>
#include <QSize>

#include <atomic>
#include <memory>

namespace fieldmark {

// A decoded image and its successive halvings. The canvas draws only the visible tiles of the
// level that fits the zoom, so panning a 20,000 x 20,000 image never scales or converts the
// whole image in a frame. Built once, off the GUI thread, then shared read-only.
class ImagePyramid
{
public:
    static constexpr int TileSize = 512;
    // Levels stop halving once the longer side fits this.
    static constexpr int SmallestSide = 1024;

    // Takes the decoded full-resolution image; null when `cancel` was set meanwhile.
    static std::shared_ptr<const ImagePyramid> build(QImage image,
                                                     const std::atomic_bool *cancel = nullptr);

    QSize size() const { return m_levels.constFirst().size(); }
    int levelCount() const { return int(m_levels.size()); }
    const QImage &level(int index) const { return m_levels.at(index); }
    const QImage &fullImage() const { return m_levels.constFirst(); }
    // The coarsest level that still has at least one image pixel per screen pixel at `scale`
    // (screen pixels per image pixel), so drawing it only ever shrinks a little.
    int levelFor(double scale) const;
    qint64 byteCount() const;

private:
    QList<QImage> m_levels;
};

using ImagePyramidPtr = std::shared_ptr<const ImagePyramid>;

} // namespace fieldmark
