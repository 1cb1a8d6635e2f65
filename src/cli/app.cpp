#include "icn/cli/app.h"
int icn::cli::main(int, char**) { return 0; }
