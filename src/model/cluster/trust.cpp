#include "icn/model/cluster/trust.h"

#include <cmath>

namespace icn::model::cluster {

namespace {

double credit(const PrevPartner& p, std::int32_t tick, double decay) {
  if (p.outcome != 1) return 0.0;
  return std::pow(decay, static_cast<double>(tick - p.tick));
}

}  // namespace

double relational_credit(const State& st, std::uint32_t i, std::uint32_t j_id, std::int32_t tick,
                         double decay) {
  for (const PrevPartner& p : st.prev(i)) {
    if (p.id == j_id) return credit(p, tick, decay);
  }
  return 0.0;
}

double trust(const State& st, std::uint32_t i, std::uint32_t j_id, std::int32_t tick,
             const Settings& set) {
  const double decay = set.p.trust_decay;
  double r_ij = 0, structural = 0;
  int successes = 0;
  for (const PrevPartner& k : st.prev(i)) {
    if (k.outcome != 1) continue;
    ++successes;
    const double r_ik = credit(k, tick, decay);
    if (k.id == j_id) {
      r_ij = r_ik;
      continue;
    }
    const std::uint32_t sk = st.slot_of(k.id);
    if (sk != kNone) structural += r_ik * relational_credit(st, sk, j_id, tick, decay);
  }
  if (successes == 0) return 0.0;
  const double w = set.p.trust_relational;
  return w * r_ij + (1.0 - w) * structural / successes;
}

}  // namespace icn::model::cluster
