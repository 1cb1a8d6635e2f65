#include "icn/cli/app.h"

int main(int argc, char** argv) { return icn::cli::main(argc, argv); }
