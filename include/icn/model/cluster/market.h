#pragma once
// The competition stage (MODEL.md section 4.2, SKIN's market).
//
// Clearing is the greatest fixed point of monotone conditions, so it does not depend on
// the order in which firms are examined: a firm stays in the market while someone left
// wants its product (end-user products are always wanted, up to the demand cap) and
// someone left produces each of its non-raw inputs ("selling"), and while its price
// covers the cost of buying each input from the cheapest remaining supplier ("trading").
// Rounds re-examine only the firms whose conditions a removal can change.
#include <cstdint>
#include <tuple>
#include <vector>

#include "icn/exec/buckets.h"
#include "icn/model/cluster/context.h"
#include "icn/model/cluster/ledger.h"

namespace icn::model::cluster {

class Market {
 public:
  /// The whole stage: manufacture, clearing, settlement, price adjustment, fixed cost,
  /// the customer lists of the new market, and the outcome of the partnerships formed in
  /// the previous tick.
  void run(State& st, Ledger& ledger, const TickContext& ctx);

  /// Recomputes products (where dirty) and qualities, resets the tick's market fields.
  void manufacture_all(State& st, const TickContext& ctx);
  /// Clears the market: sets `selling` and `trading`, and the supplier of each input.
  /// `threads` share the sorting of the sellers and the first examination of every firm.
  void clear(State& st, const Settings& set, int threads = 1);
  /// Pays for inputs, sells to final consumers, computes rewards, adjusts prices and
  /// collects the fixed cost; rebuilds the customer lists of the new market. `government`
  /// is the slot receiving the fixed cost.
  void settle(State& st, const Settings& set, Ledger& ledger, std::uint32_t government,
              int threads = 1);

 private:
  bool wanted(const State& st, std::uint32_t s, const Settings& set) const;
  bool supplied(const State& st, std::uint32_t s, const Settings& set, bool profit) const;
  void remove(const State& st, std::uint32_t s, const Settings& set, bool profit);
  void reach_fixed_point(const State& st, const Settings& set, bool profit, int threads);
  void examine_all(const State& st, const Settings& set, bool profit, int threads);
  std::uint32_t cheapest(std::int16_t product);
  static void credit_sale(State& st, std::uint32_t seller);
  void pay_inputs(State& st, const Settings& set, std::uint32_t s, Ledger::Totals& paid) const;
  void queue(std::uint32_t s);  ///< into the next round, once
  void queue_affected(int threads);
  void record_outcomes(State& st,
                       const TickContext& ctx);  ///< the next round: firms the removals can affect
  static void mark(std::vector<std::uint8_t>& flag, std::vector<std::uint32_t>& list,
                   std::size_t product);
  /// Rounds smaller than this are examined on one thread (a team costs more than they do).
  static constexpr std::int64_t kParallelRound = 2048;

  std::vector<std::uint8_t> in_;
  std::vector<std::uint8_t> capped_;              ///< end-user seller beyond the demand cap
  std::vector<std::uint32_t> n_prod_;             ///< remaining producers per product
  std::vector<std::uint32_t> n_dem_;              ///< remaining demand (firm inputs) per product
  std::vector<std::uint32_t> prod_start_, prod_;  ///< producers by product, cheapest first
  std::vector<std::uint32_t> head_;               ///< first possibly remaining producer per product
  std::vector<std::uint32_t> dem_start_, dem_;    ///< demanders by input product
  exec::BucketScratch scratch_;
  exec::SelectScratch select_;
  std::vector<std::uint32_t> failing_;       ///< positions in batch_ of the failing firms
  std::vector<std::uint32_t> batch_, next_;  ///< firms to examine: this round, the next
  std::vector<std::uint32_t> stamp_;         ///< == round_: already in next_
  std::uint32_t round_ = 0;
  std::vector<std::uint8_t> fails_;                      ///< fails its conditions (this round)
  std::vector<std::uint8_t> seller_gone_, demand_gone_;  ///< per product, this round
  std::vector<std::uint32_t> sellers_changed_, demand_changed_;
  std::vector<double> cheap_price_;  ///< price of the cheapest remaining seller (if any)
  /// A seller's place in its product's list: cheapest first; ties: higher quality, then
  /// lower slot (slot order is id order) - a total order, so one sorted list.
  struct SellerKey {
    double price, neg_quality;
    std::uint32_t slot;
    bool operator<(const SellerKey& o) const {
      return std::tie(price, neg_quality, slot) < std::tie(o.price, o.neg_quality, o.slot);
    }
  };
  std::vector<std::uint32_t> by_size_;                      ///< products, most sellers first
  std::vector<exec::Padded<std::vector<SellerKey>>> keys_;  ///< per thread
};

}  // namespace icn::model::cluster
