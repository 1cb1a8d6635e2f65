#!/usr/bin/env bash
# Hostile checkpoints: the reader either accepts a file or refuses it with icn::InputError,
# and what it accepts re-encodes to the same bytes; under a bounded fuzzing run.
# The harness and the steps are in fuzz/ (fuzz/run.sh, fuzz/checkpoint_harness.cpp).
exec bash "${ICN_SOURCE_DIR:-$(dirname "$0")/../..}/fuzz/run.sh" checkpoint "${ICN_FUZZ_SECONDS:-30}"
