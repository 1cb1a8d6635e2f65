#include <iostream>

#include "icn/cli/commands.h"
#include "icn/core/version.h"

namespace icn::cli {

Action add_version(CLI::App&) {
  return [](const Context&) {
    std::cout << version_report();
    return 0;
  };
}

}  // namespace icn::cli
