#!/usr/bin/env bash
# Hostile configurations: the TOML loader either accepts an input or rejects it with
# icn::InputError (exit 2 in the CLI); nothing else, under a bounded fuzzing run.
# The harness and the steps are in fuzz/ (fuzz/run.sh, fuzz/config_harness.cpp).
exec bash "${ICN_SOURCE_DIR:-$(dirname "$0")/../..}/fuzz/run.sh" config "${ICN_FUZZ_SECONDS:-30}"
