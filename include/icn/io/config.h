#pragma once
// The TOML configuration: [run] (the run table), [model] (the chosen model's table) and
// the sections other subsystems own ([design], [ensemble]), which are kept as TOML for
// them to read with the same error conventions.
#include <toml++/toml.h>

#include <optional>
#include <string>
#include <vector>

#include "icn/core/params.h"
#include "icn/model/model.h"

namespace icn::io {

/// Run-level settings ([run]).
struct RunParams {
  std::string model = "cluster";
  std::int64_t ticks = 300;
  std::int64_t seed = 1;
};
const ParamTable<RunParams>& run_table();

/// A loaded, validated configuration.
struct Config {
  std::string origin;  ///< the file path, or "<default scenario>"
  RunParams run;
  ParamValues run_values;
  const model::ModelInfo* model = nullptr;
  ParamValues model_values;
  toml::table extra;  ///< sections other than [run] and [model], validated by their owners

  /// The full resolved configuration as TOML (every parameter, defaults included).
  std::string resolved_toml() const;
};

/// Sections a configuration may contain besides [run] and [model].
const std::vector<std::string>& owned_sections();

/// Loads `path` (or the embedded default scenario when empty), applies `--set
/// section.key=value` overrides in order, validates everything. Throws InputError naming
/// the file, the key and the reason.
Config load_config(const std::optional<std::string>& path,
                   const std::vector<std::string>& overrides);

/// Reads a TOML table's keys into `values`, rejecting unknown keys and wrong types.
void read_table(const toml::table& table, ParamValues& values, const std::string& origin,
                const std::vector<std::string>& skip_keys = {});

/// Encodes an array of tables (a list parameter, e.g. [[model.shocks]]) as the text form
/// of a free-text parameter: items joined by "; ", each item's fields "key=value" joined
/// by ", " in key order (toml++ keeps a table's keys sorted). Every item is checked alone with
/// `spec.check_text`; a bad item throws InputError naming the file position, the key, the item and
/// the reason.
std::string encode_list(const toml::array& list, const ParamSpec& spec, const std::string& key,
                        const std::string& origin);

/// Converts a TOML scalar to a Value; nullopt for arrays, tables and dates.
std::optional<Value> to_value(const toml::node& node);

/// "file:line:col" for a node with a source position, else the file.
std::string where(const std::string& origin, const toml::node& node);

}  // namespace icn::io
