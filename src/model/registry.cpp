#include "icn/core/error.h"
#include "icn/model/analytic.h"
#include "icn/model/cluster/cluster_model.h"
#include "icn/model/cowan_jonard.h"
#include "icn/model/faulty.h"
#include "icn/model/model.h"

namespace icn::model {

const std::vector<ModelInfo>& registry() {
  // Explicit list (no static-initialisation tricks): the order is the CLI's order.
  static const std::vector<ModelInfo> models = {
      cluster::cluster_info(), ishigami_info(), sobol_g_info(), cowan_jonard_info(), faulty_info(),
  };
  return models;
}

const ModelInfo& find_model(const std::string& name, const std::string& origin) {
  for (const auto& m : registry()) {
    if (m.name == name) return m;
  }
  std::string msg = origin + ": key 'run.model': unknown model \"" + name + "\"";
  const std::string hint = did_you_mean(name, model_names());
  msg += hint.empty() ? " (models: " : " (did you mean \"" + hint + "\"? models: ";
  std::string list;
  for (const auto& n : model_names()) list += (list.empty() ? "" : ", ") + n;
  throw InputError(msg + list + ")");
}

std::vector<std::string> model_names() {
  std::vector<std::string> out;
  for (const auto& m : registry()) out.push_back(m.name);
  return out;
}

}  // namespace icn::model
