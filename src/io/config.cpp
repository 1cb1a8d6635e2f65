#include "icn/io/config.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace icn::io {

const ParamTable<RunParams>& run_table() {
  static const ParamTable<RunParams> table(
      "run", {
                 {"model", &RunParams::model, 0, 0, "", "model to run", model::model_names()},
                 {"ticks", &RunParams::ticks, 0, 10'000'000, "ticks", "ticks per replicate"},
                 {"seed", &RunParams::seed, 0, 9.0e18, "", "master seed of all random numbers"},
             });
  return table;
}

const std::vector<std::string>& owned_sections() {
  static const std::vector<std::string> sections = {"design", "ensemble"};
  return sections;
}

std::optional<Value> to_value(const toml::node& node) {
  if (auto b = node.value_exact<bool>()) return Value(*b);
  if (auto i = node.value_exact<std::int64_t>()) return Value(*i);
  if (auto d = node.value_exact<double>()) return Value(*d);
  if (auto s = node.value_exact<std::string>()) return Value(*s);
  return std::nullopt;
}

std::string where(const std::string& origin, const toml::node& node) {
  const auto& src = node.source();
  if (src.begin.line == 0) return origin;
  return origin + ":" + std::to_string(src.begin.line) + ":" + std::to_string(src.begin.column);
}

std::string encode_list(const toml::array& list, const ParamSpec& spec, const std::string& key,
                        const std::string& origin) {
  std::string text;
  std::size_t index = 0;
  for (const toml::node& element : list) {
    ++index;
    const std::string item_key = key + "[" + std::to_string(index) + "]";
    const auto* item = element.as_table();
    if (!item) {
      throw InputError(where(origin, element) + ": key '" + item_key +
                       "': each list item must be a table, e.g. { type = \"demand\", ... }");
    }
    std::string fields;
    for (const auto& [field, node] : *item) {
      const std::string name(field.str());
      const auto v = to_value(node);
      if (!v) {
        throw InputError(where(origin, node) + ": key '" + item_key + "." + name +
                         "': expected a scalar value");
      }
      std::string rendered = to_toml(*v);
      if (const auto* str = std::get_if<std::string>(&*v)) rendered = *str;
      if (rendered.find_first_of(",;=") != std::string::npos) {
        throw InputError(where(origin, node) + ": key '" + item_key + "." + name +
                         "': the value must not contain ',', ';' or '='");
      }
      fields += (fields.empty() ? "" : ", ") + name + "=" + rendered;
    }
    if (spec.check_text) {
      const std::string reason = spec.check_text(fields);
      if (!reason.empty()) {
        throw InputError(where(origin, element) + ": key '" + item_key + "': " + reason);
      }
    }
    text += (text.empty() ? "" : "; ") + fields;
  }
  return text;
}

void read_table(const toml::table& table, ParamValues& values, const std::string& origin,
                const std::vector<std::string>& skip_keys) {
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    if (std::find(skip_keys.begin(), skip_keys.end(), name) != skip_keys.end()) continue;
    const auto v = to_value(node);
    const std::string full = values.schema().section + "." + name;
    const auto index = values.schema().find(name);
    if (!index) {
      values.set(name, Value(false), where(origin, node));  // throws "unknown key" with a hint
    }
    const ParamSpec& spec = values.schema().specs[*index];
    if (!v && node.is_array() && spec.kind == ParamKind::kChoice && spec.choices.empty()) {
      values.set(name, Value(encode_list(*node.as_array(), spec, full, origin)),
                 where(origin, node));
      continue;
    }
    if (!v) {
      throw InputError(where(origin, node) + ": key '" + full + "': expected a scalar value, got " +
                       (node.is_table()   ? "a table"
                        : node.is_array() ? "an array"
                                          : "a date/time"));
    }
    values.set(name, *v, where(origin, node));
  }
}

namespace {

// The embedded default scenario: MODEL.md's defaults, which are the tables' defaults.
constexpr const char* kDefaultScenario = R"(# icnsim default scenario (MODEL.md defaults)
[run]
model = "cluster"
)";

toml::table parse_text(const std::string& text, const std::string& origin) {
  try {
    return toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    throw InputError(origin + ":" + std::to_string(b.line) + ":" + std::to_string(b.column) +
                     ": TOML syntax error: " + std::string(e.description()));
  }
}

toml::table read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open configuration file: " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_text(ss.str(), path);
}

struct Override {
  std::string section;
  std::string key;
  std::optional<Value> value;
  std::string text;
};

Override parse_override(const std::string& spec) {
  const std::string origin = "--set " + spec;
  const auto eq = spec.find('=');
  const auto dot = spec.find('.');
  if (eq == std::string::npos || dot == std::string::npos || dot > eq) {
    throw InputError(origin + ": expected section.key=value (e.g. model.n_sme=2000)");
  }
  Override o{spec.substr(0, dot), spec.substr(dot + 1, eq - dot - 1), std::nullopt,
             spec.substr(eq + 1)};
  // The value is TOML when it parses as TOML, else a bare string (e.g. run.model=ishigami).
  try {
    const toml::table t = toml::parse("v = " + o.text);
    o.value = to_value(*t.get("v"));
  } catch (const toml::parse_error&) {
    o.value = Value(o.text);
  }
  if (!o.value) throw InputError(origin + ": the value must be a scalar");
  return o;
}

void check_sections(const toml::table& doc, const std::string& origin) {
  std::vector<std::string> known = {"run", "model"};
  known.insert(known.end(), owned_sections().begin(), owned_sections().end());
  for (const auto& [key, node] : doc) {
    const std::string name(key.str());
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string msg = where(origin, node) + ": unknown section or key '" + name + "'";
      const std::string hint = did_you_mean(name, known);
      if (!hint.empty()) msg += " (did you mean '" + hint + "'?)";
      throw InputError(msg);
    }
    if (!node.is_table()) {
      throw InputError(where(origin, node) + ": '" + name + "' must be a table ([" + name + "])");
    }
  }
}

}  // namespace

Config load_config(const std::optional<std::string>& path,
                   const std::vector<std::string>& overrides) {
  Config cfg;
  cfg.origin = path ? *path : "<default scenario>";
  toml::table doc = path ? read_file(*path) : parse_text(kDefaultScenario, cfg.origin);
  check_sections(doc, cfg.origin);

  std::vector<Override> sets;
  for (const auto& s : overrides) sets.push_back(parse_override(s));

  // [run] first: it names the model whose table reads [model].
  cfg.run_values = run_table().defaults();
  if (const auto* run = doc["run"].as_table()) read_table(*run, cfg.run_values, cfg.origin);
  for (const auto& o : sets) {
    if (o.section == "run")
      cfg.run_values.set(o.key, *o.value, "--set run." + o.key + "=" + o.text);
  }
  cfg.run = run_table().from_values(cfg.run_values);
  cfg.model = &model::find_model(cfg.run.model, cfg.origin);

  cfg.model_values = ParamValues(cfg.model->schema);
  if (const auto* m = doc["model"].as_table()) read_table(*m, cfg.model_values, cfg.origin);
  for (const auto& o : sets) {
    if (o.section == "model") {
      cfg.model_values.set(o.key, *o.value, "--set model." + o.key + "=" + o.text);
    } else if (o.section != "run") {
      throw InputError("--set " + o.section + "." + o.key + "=" + o.text +
                       ": only [run] and [model] keys can be set on the command line");
    }
  }

  for (const auto& s : owned_sections()) {
    // Moved, not copied: toml++ drops source positions when it copies a node.
    if (auto* t = doc[s].as_table()) cfg.extra.insert(s, std::move(*t));
  }
  return cfg;
}

namespace {

void write_section(std::ostringstream& out, const ParamValues& v) {
  out << "[" << v.schema().section << "]\n";
  for (std::size_t i = 0; i < v.size(); ++i) {
    out << v.schema().specs[i].name << " = " << to_toml(v.at(i)) << "\n";
  }
}

}  // namespace

std::string Config::resolved_toml() const {
  std::ostringstream out;
  out << "# resolved from " << origin << "\n";
  write_section(out, run_values);
  out << "\n";
  write_section(out, model_values);
  for (const auto& [key, node] : extra) {
    toml::table one;
    one.insert(key, node);
    out << "\n" << one << "\n";
  }
  return out.str();
}

}  // namespace icn::io
