// Widgets need a QApplication; GoogleTest runs inside it.
#include <QApplication>

#include <gtest/gtest.h>

int main(int argc, char *argv[])
{
    // Test discovery runs the binary without the tests' environment: never open a display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("FieldmarkTests"));
    QApplication::setApplicationName(QStringLiteral("ui_tests"));
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
