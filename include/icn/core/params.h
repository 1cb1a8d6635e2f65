#pragma once
// Typed parameter tables: one table per parameter struct is the single source of truth
// for parsing, validation, `icnsim params`, docs/configuration.md and the design
// machinery. Defaults come from the struct's in-class initialisers, so they are written
// exactly once.
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "icn/core/error.h"

namespace icn {

/// A parameter value as read from a file or a design.
using Value = std::variant<bool, std::int64_t, double, std::string>;

enum class ParamKind { kBool, kInt, kReal, kChoice };

/// Describes one parameter (type-erased, used by parsers, docs and designs).
struct ParamSpec {
  std::string name;
  ParamKind kind = ParamKind::kReal;
  Value default_value;
  double lo = 0;  ///< inclusive valid range for kInt and kReal
  double hi = 0;
  std::vector<std::string> choices;  ///< allowed values for kChoice
  std::string unit;
  std::string description;
  /// A free-text kChoice (no `choices`): checks the text, returns "" or the reason.
  /// Such a parameter may be written in a file as an array of tables (a list), which
  /// the configuration reader encodes as text (see io::encode_list).
  std::function<std::string(const std::string&)> check_text;

  /// Whether a design may vary it continuously (int and real parameters).
  bool is_numeric() const { return kind == ParamKind::kInt || kind == ParamKind::kReal; }
};

std::string_view kind_name(ParamKind kind);
/// The value rendered as TOML.
std::string to_toml(const Value& v);
/// Human-readable range: "[0, 1]", "one of a|b", "true|false".
std::string range_text(const ParamSpec& spec);
/// Checks a value against its spec and converts it to the spec's kind (an integer
/// given for a real parameter is accepted). Returns an error reason or the value.
std::variant<Value, std::string> check_value(const ParamSpec& spec, const Value& v);
/// Edit-distance suggestion among names, or empty when nothing is close.
std::string did_you_mean(std::string_view key, const std::vector<std::string>& names);

/// The specs of one parameter set plus the section it lives in ("model", "run", ...).
struct ParamSchema {
  std::string section;
  std::vector<ParamSpec> specs;

  std::optional<std::size_t> find(std::string_view name) const;
  std::vector<std::string> names() const;
};

/// Values of a parameter set, indexed like its schema; always valid once constructed
/// through set(), which checks them.
class ParamValues {
 public:
  ParamValues() = default;
  explicit ParamValues(const ParamSchema* schema);

  const ParamSchema& schema() const { return *schema_; }
  const Value& at(std::size_t i) const { return values_.at(i); }
  const Value& at(std::string_view name) const;
  std::size_t size() const { return values_.size(); }

  /// Sets a value after checking it; throws InputError naming `origin` and the key.
  void set(std::string_view name, const Value& v, std::string_view origin);
  /// Sets a numeric parameter from a design coordinate (rounded for integers).
  void set_number(std::size_t index, double x);
  /// Numeric view of a parameter (bools as 0/1); throws for choices.
  double number(std::size_t index) const;

 private:
  const ParamSchema* schema_ = nullptr;
  std::vector<Value> values_;
};

/// Binds a struct's members to a schema. Usage:
///   static const ParamTable<Foo> t("model", {{"n", &Foo::n, 1, 100, "", "count"}, ...});
template <class S>
class ParamTable {
 public:
  /// One member of S bound to a name, range, unit and description. The getter and
  /// setter are instantiated only for the member's own type.
  struct Entry {
    template <class T>
    Entry(const char* name_, T S::*member, double lo_, double hi_, const char* unit_,
          const char* description_, std::vector<std::string> choices_ = {},
          std::function<std::string(const std::string&)> check_text_ = {})
        : name(name_),
          lo(lo_),
          hi(hi_),
          unit(unit_),
          description(description_),
          choices(std::move(choices_)),
          check_text(std::move(check_text_)),
          kind(kind_of<T>()),
          get([member](const S& s) { return Value(s.*member); }),
          set([member](S& s, const Value& v) { s.*member = std::get<T>(v); }) {}
    const char* name;
    double lo;
    double hi;
    const char* unit;
    const char* description;
    std::vector<std::string> choices;
    std::function<std::string(const std::string&)> check_text;
    ParamKind kind;
    std::function<Value(const S&)> get;
    std::function<void(S&, const Value&)> set;
  };

  ParamTable(std::string section, std::vector<Entry> entries) : entries_(std::move(entries)) {
    schema_.section = std::move(section);
    const S defaults{};
    for (const Entry& e : entries_) {
      schema_.specs.push_back(ParamSpec{e.name, e.kind, e.get(defaults), e.lo, e.hi, e.choices,
                                        e.unit, e.description, e.check_text});
    }
  }

  const ParamSchema& schema() const { return schema_; }

  /// Default values as a ParamValues.
  ParamValues defaults() const { return ParamValues(&schema_); }

  ParamValues to_values(const S& s) const {
    ParamValues v(&schema_);
    for (const Entry& e : entries_) v.set(e.name, e.get(s), "<struct>");
    return v;
  }

  /// Builds the typed struct from checked values of this table's schema.
  S from_values(const ParamValues& v) const {
    S s{};
    for (std::size_t i = 0; i < entries_.size(); ++i) entries_[i].set(s, v.at(i));
    return s;
  }

 private:
  template <class T>
  static constexpr ParamKind kind_of() {
    if constexpr (std::is_same_v<T, bool>) return ParamKind::kBool;
    if constexpr (std::is_same_v<T, std::int64_t>) return ParamKind::kInt;
    if constexpr (std::is_same_v<T, double>) return ParamKind::kReal;
    if constexpr (std::is_same_v<T, std::string>) return ParamKind::kChoice;
  }

  std::vector<Entry> entries_;
  ParamSchema schema_;
};

}  // namespace icn
