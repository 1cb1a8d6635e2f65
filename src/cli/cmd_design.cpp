#include <fstream>
#include <iostream>

#include "icn/cli/commands.h"
#include "icn/core/error.h"
#include "icn/io/config.h"
#include "icn/io/run_file.h"
#include "icn/io/sweep_config.h"

namespace icn::cli {
namespace {

struct DesignOptions {
  std::string config;
  std::vector<std::string> sets;
  std::string output;
  bool unit = false;
  bool overwrite = false;
};

// Shortest text that reads back as the same double.
std::string exact(double x) {
  char buf[32];
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  return buf;
}

void write_csv(std::ostream& out, const design::Design& d, bool unit) {
  out << "point";
  for (const auto& n : d.names) out << "," << n;
  out << "\n";
  const Eigen::MatrixXd& m = unit ? d.unit_points : d.points;
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    out << i;
    for (Eigen::Index j = 0; j < m.cols(); ++j) out << "," << exact(m(i, j));
    out << "\n";
  }
}

int design_command(const DesignOptions& o) {
  const io::Config cfg = io::load_config(o.config, o.sets);
  const io::SweepConfig sc = io::read_sweep_config(cfg);
  const design::Design d = io::build_design(cfg, sc);
  std::cerr << "icnsim design: " << design::kind_name(d.kind) << ", " << d.size() << " point(s) x "
            << d.dims() << " factor(s), " << sc.ensemble.replicates
            << " replicate(s) each: " << d.size() * sc.ensemble.replicates << " task(s) of model "
            << cfg.model->name << "\n";
  if (o.output.empty() || o.output == "-") {
    write_csv(std::cout, d, o.unit);
    return 0;
  }
  io::check_output_path(o.output, o.overwrite, "-o");
  std::ofstream out(o.output);
  write_csv(out, d, o.unit);
  out.close();
  if (!out) throw RuntimeError(o.output + ": error while writing the design CSV");
  std::cout << "design: " << o.output << "\n";
  return 0;
}

}  // namespace

Action add_design(CLI::App& app) {
  auto o = std::make_shared<DesignOptions>();
  app.add_option("config", o->config, "TOML configuration with a [design] section")->required();
  app.add_option("--set", o->sets,
                 "Override a [run] or [model] parameter: section.key=value (repeatable)");
  app.add_option("-o,--output", o->output, "CSV file (default: standard output)");
  app.add_flag("--unit", o->unit,
               "Write the unit-cube coordinates instead of the parameter values");
  app.add_flag("--overwrite", o->overwrite, "Replace an existing output file");
  return [o](const Context&) { return design_command(*o); };
}

}  // namespace icn::cli
