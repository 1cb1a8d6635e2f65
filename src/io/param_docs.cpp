#include "icn/io/param_docs.h"

#include <algorithm>
#include <sstream>

namespace icn::io {

std::string params_text(const ParamSchema& schema, const std::string& title) {
  std::size_t wn = 4, wd = 7, wr = 5, wu = 4;
  for (const auto& s : schema.specs) {
    wn = std::max(wn, s.name.size());
    wu = std::max(wu, s.unit.size());
    wd = std::max(wd, to_toml(s.default_value).size());
    wr = std::max(wr, range_text(s).size());
  }
  std::ostringstream out;
  out << title << "\n";
  const auto pad = [](std::string s, std::size_t w) {
    return s + std::string(w > s.size() ? w - s.size() : 0, ' ');
  };
  out << "  " << pad("name", wn) << "  " << pad("default", wd) << "  " << pad("range", wr) << "  "
      << pad("unit", wu) << "  description\n";
  for (const auto& s : schema.specs) {
    out << "  " << pad(s.name, wn) << "  " << pad(to_toml(s.default_value), wd) << "  "
        << pad(range_text(s), wr) << "  " << pad(s.unit.empty() ? "-" : s.unit, wu) << "  "
        << s.description << "\n";
  }
  return out.str();
}

std::string params_markdown(const ParamSchema& schema, const std::string& title) {
  std::ostringstream out;
  out << "### " << title
      << "\n\n| key | type | default | range | unit | description |\n|---|---|---|---|---|---|\n";
  for (const auto& s : schema.specs) {
    std::string range = range_text(s);
    std::replace(range.begin(), range.end(), '|', ',');
    out << "| `" << schema.section << "." << s.name << "` | " << kind_name(s.kind) << " | `"
        << to_toml(s.default_value) << "` | " << range << " | " << (s.unit.empty() ? "" : s.unit)
        << " | " << s.description << " |\n";
  }
  return out.str();
}

}  // namespace icn::io
