#!/usr/bin/env bash
# docs/configuration.md's parameter reference is generated from the tables: fail on drift.
set -euo pipefail
exec bash "${ICN_SOURCE_DIR:?}/scripts/gen-config-docs.sh" "${ICNSIM:?}" --check
