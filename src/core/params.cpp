#include "icn/core/params.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace icn {

std::string_view kind_name(ParamKind kind) {
  switch (kind) {
    case ParamKind::kBool: return "bool";
    case ParamKind::kInt: return "int";
    case ParamKind::kReal: return "real";
    case ParamKind::kChoice: return "choice";
  }
  return "?";
}

namespace {

std::string format_number(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  // Shortest representation that round-trips.
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  std::string s(buf);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // stay a TOML float
  return s;
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string bound_text(double x, ParamKind kind) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  if (kind == ParamKind::kInt) return std::to_string(static_cast<long long>(x));
  std::string s = format_number(x);
  if (s.size() > 2 && s.ends_with(".0")) s.resize(s.size() - 2);
  return s;
}

}  // namespace

std::string to_toml(const Value& v) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, bool>) return x ? "true" : "false";
        if constexpr (std::is_same_v<T, std::int64_t>) return std::to_string(x);
        if constexpr (std::is_same_v<T, double>) return format_number(x);
        if constexpr (std::is_same_v<T, std::string>) return quote(x);
      },
      v);
}

std::string range_text(const ParamSpec& spec) {
  switch (spec.kind) {
    case ParamKind::kBool: return "true|false";
    case ParamKind::kChoice: {
      if (spec.choices.empty()) return "text";
      std::string s;
      for (const auto& c : spec.choices) s += (s.empty() ? "" : "|") + c;
      return s;
    }
    default:
      return "[" + bound_text(spec.lo, spec.kind) + ", " + bound_text(spec.hi, spec.kind) + "]";
  }
}

std::variant<Value, std::string> check_value(const ParamSpec& spec, const Value& v) {
  const auto range_error = [&] { return "value out of range " + range_text(spec); };
  switch (spec.kind) {
    case ParamKind::kBool:
      if (!std::holds_alternative<bool>(v))
        return std::string("expected a boolean (true or false)");
      return v;
    case ParamKind::kInt: {
      if (!std::holds_alternative<std::int64_t>(v)) return std::string("expected an integer");
      const auto x = static_cast<double>(std::get<std::int64_t>(v));
      if (x < spec.lo || x > spec.hi) return range_error();
      return v;
    }
    case ParamKind::kReal: {
      double x = 0;
      if (const auto* i = std::get_if<std::int64_t>(&v)) {
        x = static_cast<double>(*i);
      } else if (const auto* d = std::get_if<double>(&v)) {
        x = *d;
      } else {
        return std::string("expected a number");
      }
      if (!std::isfinite(x)) return std::string("expected a finite number");
      if (x < spec.lo || x > spec.hi) return range_error();
      return Value(x);
    }
    case ParamKind::kChoice: {
      const auto* s = std::get_if<std::string>(&v);
      if (spec.choices.empty() && spec.check_text) {
        if (!s) return std::string("expected a string");
        std::string reason = spec.check_text(*s);
        if (!reason.empty()) return reason;
        return v;
      }
      if (!s) return "expected a string, one of " + range_text(spec);
      if (std::find(spec.choices.begin(), spec.choices.end(), *s) == spec.choices.end()) {
        const std::string hint = did_you_mean(*s, spec.choices);
        return "\"" + *s + "\" is not one of " + range_text(spec) +
               (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)");
      }
      return v;
    }
  }
  return std::string("unknown parameter kind");
}

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string did_you_mean(std::string_view key, const std::vector<std::string>& names) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, key.size() / 3) + 1;
  for (const auto& n : names) {
    const std::size_t d = edit_distance(key, n);
    if (d < best_d) {
      best_d = d;
      best = n;
    }
  }
  return best;
}

std::optional<std::size_t> ParamSchema::find(std::string_view name) const {
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].name == name) return i;
  }
  return std::nullopt;
}

std::vector<std::string> ParamSchema::names() const {
  std::vector<std::string> out;
  out.reserve(specs.size());
  for (const auto& s : specs) out.push_back(s.name);
  return out;
}

ParamValues::ParamValues(const ParamSchema* schema) : schema_(schema) {
  values_.reserve(schema->specs.size());
  for (const auto& s : schema->specs) values_.push_back(s.default_value);
}

const Value& ParamValues::at(std::string_view name) const {
  const auto i = schema_->find(name);
  if (!i)
    throw RuntimeError("internal: no parameter '" + std::string(name) + "' in [" +
                       schema_->section + "]");
  return values_[*i];
}

void ParamValues::set(std::string_view name, const Value& v, std::string_view origin) {
  const auto i = schema_->find(name);
  const std::string key = schema_->section + "." + std::string(name);
  if (!i) {
    std::string msg = std::string(origin) + ": unknown key '" + key + "'";
    const std::string hint = did_you_mean(name, schema_->names());
    if (!hint.empty()) msg += " (did you mean '" + schema_->section + "." + hint + "'?)";
    throw InputError(msg);
  }
  auto checked = check_value(schema_->specs[*i], v);
  if (auto* reason = std::get_if<std::string>(&checked)) {
    throw InputError(std::string(origin) + ": key '" + key + "': " + *reason + " (got " +
                     to_toml(v) + ")");
  }
  values_[*i] = std::get<Value>(std::move(checked));
}

void ParamValues::set_number(std::size_t index, double x) {
  const ParamSpec& spec = schema_->specs.at(index);
  Value v;
  switch (spec.kind) {
    case ParamKind::kInt: v = static_cast<std::int64_t>(std::llround(x)); break;
    case ParamKind::kReal: v = x; break;
    case ParamKind::kBool: v = x >= 0.5; break;
    case ParamKind::kChoice:
      throw InputError("design: parameter '" + spec.name +
                       "' is a choice and cannot be a numeric factor");
  }
  set(spec.name, v, "design");
}

double ParamValues::number(std::size_t index) const {
  const Value& v = values_.at(index);
  if (const auto* b = std::get_if<bool>(&v)) return *b ? 1.0 : 0.0;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  throw RuntimeError("internal: parameter '" + schema_->specs.at(index).name + "' is not numeric");
}

}  // namespace icn
