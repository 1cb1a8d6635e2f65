#include "icn/core/version.h"
#include <string>
std::string icn::version_report() { return std::string("icnsim ") + build::kVersion; }
