#pragma once
// The command line: `icnsim <subcommand> ...`. Each subcommand lives in its own file.
namespace icn::cli {
/// Parses the command line, runs the subcommand and returns the process exit status.
int main(int argc, char** argv);
}  // namespace icn::cli
