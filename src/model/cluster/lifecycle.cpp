#include "icn/model/cluster/lifecycle.h"

#include <algorithm>
#include <cmath>

namespace icn::model::cluster {

const char* stage_name(Stage s) {
  switch (s) {
    case Stage::kUnclassified: return "unclassified";
    case Stage::kSprouting: return "sprouting";
    case Stage::kGrowth: return "growth";
    case Stage::kMaturity: return "maturity";
    case Stage::kDecline: return "decline";
    case Stage::kRenewal: return "renewal";
  }
  return "?";
}

Stage Lifecycle::candidate(double g, double firms, double giant, bool diversity_up,
                           bool novelty_up) const {
  const double reference = std::max(peak_, p_.ref_firms);
  if (firms < p_.sprout_share * reference && giant < p_.sprout_giant && g >= 0) {
    return Stage::kSprouting;
  }
  const bool after_peak =
      stage_ == Stage::kDecline || stage_ == Stage::kMaturity || stage_ == Stage::kRenewal;
  if (after_peak && g > p_.epsilon && diversity_up && novelty_up) return Stage::kRenewal;
  if (g > p_.epsilon) return Stage::kGrowth;
  if (g < -p_.epsilon) return Stage::kDecline;
  return Stage::kMaturity;
}

void Lifecycle::observe(const LifecycleInput& in) {
  const double connectedness = in.clustering * in.giant_share;
  lock_in_index_ = connectedness * (1.0 - in.diversity);
  peak_ = std::max(peak_, in.firms);
  if (!started_) {  // tick 0: the initial state opens the first window
    started_ = true;
    window_firms_ = in.firms;
    window_diversity_ = in.diversity;
    return;
  }
  ++tick_;
  novelty_sum_ += in.novelty;
  const auto w = static_cast<std::uint64_t>(std::max(1, p_.window));
  if (tick_ % w == 0) {
    growth_ =
        window_firms_ > 0 ? (in.firms - window_firms_) / window_firms_ : (in.firms > 0 ? 1.0 : 0.0);
    const bool diversity_up = in.diversity > window_diversity_;
    const bool novelty_up = last_novelty_sum_ >= 0 && novelty_sum_ > last_novelty_sum_;
    const Stage c = candidate(growth_, in.firms, in.giant_share, diversity_up, novelty_up);
    if (stage_ == Stage::kUnclassified) {
      stage_ = c;
      sequence_.push_back(c);
      pending_count_ = 0;
    } else if (c == stage_) {
      pending_count_ = 0;
    } else {
      pending_count_ = c == pending_ ? pending_count_ + 1 : 1;
      pending_ = c;
      if (pending_count_ >= std::max(1, p_.confirm)) {
        stage_ = c;
        sequence_.push_back(c);
        pending_count_ = 0;
      }
    }
    // Lock-in: maturity, falling diversity, connectedness in its upper quartile.
    connectedness_.push_back(connectedness);
    lock_in_ = false;
    if (stage_ == Stage::kMaturity && !diversity_up && in.diversity < window_diversity_ &&
        connectedness_.size() >= 4) {
      std::vector<double> sorted = connectedness_;
      std::sort(sorted.begin(), sorted.end());
      // Nearest-rank 75th percentile.
      const auto rank =
          static_cast<std::size_t>(std::ceil(0.75 * static_cast<double>(sorted.size())));
      lock_in_ = connectedness >= sorted[rank - 1];
    }
    window_firms_ = in.firms;
    window_diversity_ = in.diversity;
    last_novelty_sum_ = novelty_sum_;
    novelty_sum_ = 0;
  }
  if (stage_ != Stage::kUnclassified) ++ticks_in_[static_cast<std::size_t>(stage_)];
  lock_in_ticks_ += lock_in_;
}

double Lifecycle::sequence_code() const {
  double code = 0;
  const std::size_t n = std::min<std::size_t>(sequence_.size(), 15);
  for (std::size_t i = 0; i < n; ++i) code = code * 10 + (static_cast<int>(sequence_[i]) + 1);
  return code;
}

}  // namespace icn::model::cluster
