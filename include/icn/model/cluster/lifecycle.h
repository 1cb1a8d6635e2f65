#pragma once
// The life-cycle reading of the cluster (MODEL.md section 6): a stage classifier on the
// firm count, the lock-in index and the lock-in flag.
//
// Time is cut into consecutive windows of W ticks (ticks 1..W, W+1..2W, ...). At the end
// of each window the classifier computes g = (F_end - F_start) / F_start, the relative
// change of the firm count over the window, and a candidate stage:
//   sprouting  F < sprout_share * max(running peak of F, ref_firms), giant share <
//              sprout_giant, and g >= 0;
//   renewal    the current stage is decline, maturity or renewal, g > epsilon (MODEL.md
//              says g > 0; on a noisy plateau that would turn every window whose noise
//              happens to point up into a renewal candidate), diversity higher than at
//              the window's start and novelty (new capabilities + radical
//              research) summed over the window higher than over the window before;
//   growth     g > epsilon;   maturity |g| <= epsilon;   decline g < -epsilon.
// The first candidate becomes the stage at once; afterwards a different stage is taken
// only when `confirm` consecutive windows agree on it (hysteresis). The stage is
// reported at every tick (unclassified, -1, during the first window).
//
// Lock-in index LI = connectedness * (1 - diversity), connectedness = clustering * giant
// share, every tick. The lock-in flag is set at a window's end when the stage is maturity,
// diversity fell over the window, and connectedness is in the upper quartile of its
// window-end values so far (at least 4 of them); it holds until the next window's end.
#include <array>
#include <cstdint>
#include <vector>

namespace icn::model::cluster {

enum class Stage : std::int8_t {
  kUnclassified = -1,
  kSprouting = 0,
  kGrowth = 1,
  kMaturity = 2,
  kDecline = 3,
  kRenewal = 4,
};
constexpr int kStages = 5;
const char* stage_name(Stage s);

struct LifecycleParams {
  int window = 20;            ///< W, ticks
  double epsilon = 0.05;      ///< growth band
  int confirm = 2;            ///< consecutive windows needed to change stage
  double sprout_share = 0.3;  ///< sprouting below this share of the reference peak
  double sprout_giant = 0.5;  ///< and below this giant-component share
  double ref_firms = 500.0;   ///< the peak is at least this many firms
};

/// What the classifier reads at one tick.
struct LifecycleInput {
  double firms = 0;
  double giant_share = 0;
  double clustering = 0;
  double diversity = 0;
  double novelty = 0;  ///< new capabilities + radical research steps this tick
};

class Lifecycle {
 public:
  Lifecycle() = default;
  explicit Lifecycle(const LifecycleParams& p) : p_(p) {}

  /// Feeds tick 0 (the initial state) and then every following tick, in order.
  void observe(const LifecycleInput& in);

  Stage stage() const { return stage_; }
  /// g of the last completed window (0 before the first).
  double growth() const { return growth_; }
  double lock_in_index() const { return lock_in_index_; }
  bool lock_in() const { return lock_in_; }
  /// Stages taken, in order (one entry per change, the first classification included).
  const std::vector<Stage>& sequence() const { return sequence_; }
  /// Ticks (1, 2, ...) reported in each stage.
  const std::array<std::uint64_t, kStages>& ticks_in() const { return ticks_in_; }
  std::uint64_t lock_in_ticks() const { return lock_in_ticks_; }
  /// The sequence as a decimal code, one digit per stage (sprouting 1 ... renewal 5), the
  /// first stage most significant; at most the first 15 stages (exact in a double).
  double sequence_code() const;

 private:
  Stage candidate(double g, double firms, double giant, bool diversity_up, bool novelty_up) const;

  LifecycleParams p_;
  std::uint64_t tick_ = 0;
  bool started_ = false;
  Stage stage_ = Stage::kUnclassified;
  Stage pending_ = Stage::kUnclassified;
  int pending_count_ = 0;
  double growth_ = 0;
  double lock_in_index_ = 0;
  bool lock_in_ = false;
  double peak_ = 0;
  double window_firms_ = 0;            ///< F at the window's start
  double window_diversity_ = 0;        ///< diversity at the window's start
  double novelty_sum_ = 0;             ///< novelty of the current window
  double last_novelty_sum_ = -1;       ///< of the previous window (-1: none)
  std::vector<double> connectedness_;  ///< at window ends
  std::vector<Stage> sequence_;
  std::array<std::uint64_t, kStages> ticks_in_{};
  std::uint64_t lock_in_ticks_ = 0;
};

}  // namespace icn::model::cluster
