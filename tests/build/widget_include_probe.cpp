// Must NOT compile when linked against sightline_core only (see CMakeLists.txt).
#include "core/telem/frame.h"

#include <QWidget>

int probeWidget() { return sizeof(QWidget); }
