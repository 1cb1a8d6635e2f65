#pragma once
// Trust (Cowan, Jonard & Zimmermann 2007; MODEL.md section 4.5), read from the
// previous-partner memories: each remembered partner carries the tick tau of the latest
// partnership with it and that partnership's outcome o (1 when both partners traded at the
// next market, 0 when not, unknown until then and counted as 0).
//
//   relational credit  r_ij = decay^(t - tau_ij) * o_ij
//   structural credit  s_ij = sum over i's remembered partners k != j of r_ik * r_kj
//   trust              T_ij = w_r * r_ij + (1 - w_r) * s_ij / sum_k o_ik
//                      (0 when i has no successful past partnership)
// with decay = trust_decay (0.98) and w_r = trust_relational (0.1). T is in [0, 1]. It
// joins the attractiveness as w_trust * T (cooperation stage).
#include <cstdint>

#include "icn/model/cluster/params.h"
#include "icn/model/cluster/state.h"

namespace icn::model::cluster {

/// r_ij: the credit actor at slot i gives the actor with id j at tick `tick`.
double relational_credit(const State& st, std::uint32_t i, std::uint32_t j_id, std::int32_t tick,
                         double decay);

/// T_ij: the trust of the actor at slot i in the actor with id j at tick `tick`.
double trust(const State& st, std::uint32_t i, std::uint32_t j_id, std::int32_t tick,
             const Settings& set);

}  // namespace icn::model::cluster
