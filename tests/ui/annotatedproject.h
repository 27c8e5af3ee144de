#pragma once

#include "core/model/labeltask.h"

#include <QList>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace fieldmark::test {

// A project in a temporary folder for the export and annotation-import tests, with three
// images (red.png 320x200, green.png 200x320, blue.png 256x256, in that item order) and two
// tasks:
// - "vehicles" (boxes: car, tree, person): a human car box on red, a human tree box on green
//   and an unreviewed machine person box (confidence 0.8) on blue;
// - "regions" (segmentation: road, sky): a human road mask on red, a human sky polygon on blue.
struct AnnotatedProject
{
    QTemporaryDir root;
    QString projectDir;
    QString mediaDir;
    LabelTask vehicles;
    LabelTask regions;
    QList<qint64> itemIds; // red, green, blue

    static std::unique_ptr<AnnotatedProject> create();
    QString media(const QString &name) const;
    QString path(const QString &name) const; // in the root folder, outside the project
};

} // namespace fieldmark::test
