#pragma once
// Renders parameter tables for people: the `icnsim params` listing and
// docs/configuration.md are both generated from the tables.
#include <string>
#include <vector>

#include "icn/core/params.h"

namespace icn::io {

/// A plain-text table of one schema.
std::string params_text(const ParamSchema& schema, const std::string& title);
/// A Markdown table of one schema.
std::string params_markdown(const ParamSchema& schema, const std::string& title);

}  // namespace icn::io
