#include <iostream>

#include "icn/cli/commands.h"
#include "icn/io/config.h"
#include "icn/io/param_docs.h"
#include "icn/io/sweep_config.h"

namespace icn::cli {

Action add_params(CLI::App& app) {
  auto model = std::make_shared<std::string>();
  auto markdown = std::make_shared<bool>(false);
  app.add_option("--model", *model, "Only this model's [model] table");
  app.add_flag("--markdown", *markdown,
               "Markdown tables (docs/configuration.md is generated this way)");
  return [model, markdown](const Context&) {
    const auto render = [&](const ParamSchema& s, const std::string& title) {
      std::cout << (*markdown ? io::params_markdown(s, title) : io::params_text(s, title)) << "\n";
    };
    if (model->empty()) {
      render(io::run_table().schema(), "[run] run settings");
      render(io::ensemble_table().schema(), "[ensemble] how a sweep runs (docs/sweeps.md)");
      render(io::design_table().schema(),
             "[design] scalar keys of the design of experiments; factors are [[design.factors]] "
             "tables "
             "(docs/sweeps.md)");
    }
    for (const auto& m : model::registry()) {
      if (!model->empty() && m.name != *model) continue;
      render(*m.schema, "[model] parameters of model \"" + m.name + "\" (" + m.description + ")");
    }
    if (!model->empty()) model::find_model(*model, "--model");  // unknown names are bad input
    return 0;
  };
}

}  // namespace icn::cli
