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

    // A stand-in shown while a very large image decodes: one reduced level, drawn at the
    // full image's size. Tools wait for the real pyramid.
    static std::shared_ptr<const ImagePyramid> preview(QImage reduced, QSize fullSize);

    // The image's size in pixels (scene units), whatever the levels hold.
    QSize size() const { return m_size; }
    bool isPreview() const { return m_preview; }
    int levelCount() const { return int(m_levels.size()); }
    const QImage &level(int index) const { return m_levels.at(index); }
    // Level 0: the full-resolution image (reduced, for a preview).
    const QImage &fullImage() const { return m_levels.constFirst(); }
    // The coarsest level that still has at least one image pixel per screen pixel at `scale`
    // (screen pixels per image pixel), so drawing it only ever shrinks a little.
    int levelFor(double scale) const;
    qint64 byteCount() const;

private:
    QList<QImage> m_levels;
    QSize m_size;
    bool m_preview = false;
};

using ImagePyramidPtr = std::shared_ptr<const ImagePyramid>;

} // namespace fieldmark
