#pragma once
// Kenes, innovation hypotheses and the artefacts mapped from them (MODEL.md section 3).
#include <span>

#include "icn/core/rng.h"
#include "icn/model/cluster/params.h"
#include "icn/model/cluster/state.h"

namespace icn::model::cluster {

/// Product of an IH: floor((sum c*a) mod (n - n_raw)) + n_raw; -1 for an empty IH.
int product_of(std::span<const Triple> ih, const ProductSpace& ps);
/// Input product mapped from a contiguous IH chunk: floor((sum c*a) mod n).
int input_of(std::span<const Triple> chunk, const ProductSpace& ps);
/// Quality of an IH: (sum a*(1 - exp(-e))) mod 10.
double quality_of(std::span<const Triple> ih);

/// Adds `count` capabilities of one class (first capability `first`, `size` of them)
/// that the kene lacks, with a ~ U[0,10) and e uniform in 1..10; returns how many fitted.
int add_random_capabilities(State& st, std::uint32_t s, int first, int size, int count,
                            rng::Stream& rs);
/// Fills an empty kene to capacity: half sector capabilities of `theme`, `n_rare` rare
/// ones of `rare_theme`, the rest common capabilities of `theme`.
void fill_initial_kene(State& st, std::uint32_t s, int theme, int n_rare, int rare_theme,
                       const Settings& set, rng::Stream& rs);
/// Draws a new IH (ih_min..ih_max distinct triples, in kene order) and its input chunks:
/// 1..max_inputs inputs from random contiguous chunks, redrawn (at most 10 times per
/// input) until the inputs are distinct and differ from the product.
void draw_ih(State& st, std::uint32_t s, const Settings& set, rng::Stream& rs);
/// Recomputes the quality and, when the IH or one of its abilities changed (`dirty`), the
/// product and inputs.
/// Inputs that cannot be formed (bad chunk, duplicate, equal to the product, or only raw
/// materials for an end-user product) leave n_inputs = 0: the firm does not produce.
/// Returns whether the product changed.
bool manufacture(State& st, std::uint32_t s, const Settings& set);
/// Price of a newly defined product: final_price for end-user products, else U[price_min,
/// price_max].
double initial_price(int product, const Settings& set, rng::Stream& rs);

}  // namespace icn::model::cluster
