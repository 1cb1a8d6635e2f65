#pragma once
// The interface every model implements; the ensemble driver runs models only through it.
// A model is a pure function of (parameters, random key) stepping a state: it sees no
// MPI, HDF5 or driver code.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "icn/core/params.h"
#include "icn/core/rng.h"

namespace icn::model {

/// How one replicate may use the machine (chosen by the driver).
struct ExecOptions {
  int threads = 1;  ///< OpenMP threads inside this replicate
};

/// The network at one tick, for inspection with other tools (`icnsim run --snapshot-every`).
struct Snapshot {
  std::vector<std::uint32_t> ids;       ///< actor ids
  std::vector<std::int32_t> types;      ///< actor type codes (the model documents them)
  std::vector<double> x, y;             ///< locations
  std::vector<std::uint32_t> src, dst;  ///< undirected edges, by actor id
  std::vector<std::int32_t> edge_kind;  ///< edge type codes (the model documents them)
  std::vector<double> capital;          ///< capital of each actor; empty when the model has none
};

/// One replicate of a model.
class Model {
 public:
  virtual ~Model() = default;
  /// Advances the state by one tick.
  virtual void step() = 0;
  /// Writes the observables of the current state, in the order of ModelInfo::observables.
  virtual void observe(std::span<double> out) const = 0;
  /// Writes the final summaries, in the order of ModelInfo::finals (after the last tick).
  virtual void summarize(std::span<double> out) const = 0;
  /// Fills `out` with the current network; false when the model has none.
  virtual bool snapshot(Snapshot& /*out*/) const { return false; }
};

using ModelFactory =
    std::function<std::unique_ptr<Model>(const ParamValues&, const rng::Key&, const ExecOptions&)>;

/// Static description of a model: its parameters, outputs and factory.
struct ModelInfo {
  std::string name;
  std::string description;
  const ParamSchema* schema = nullptr;   ///< the [model] parameters
  std::vector<std::string> observables;  ///< per-tick outputs
  std::vector<std::string> finals;       ///< final summaries
  ModelFactory make;
  /// Relative cost of one replicate at these parameters (for longest-first scheduling).
  std::function<double(const ParamValues&)> cost = [](const ParamValues&) { return 1.0; };
};

/// All models, in a fixed order.
const std::vector<ModelInfo>& registry();
/// The model named `name`; throws InputError (with a suggestion) naming `origin`.
const ModelInfo& find_model(const std::string& name, const std::string& origin);
/// Names of all models.
std::vector<std::string> model_names();

}  // namespace icn::model
