#pragma once
// The sharing stage: knowledge flows inside partnerships and innovation networks
// (MODEL.md section 4.4, SKIN).
//
// Partners exchange their IH triples both ways, reading the triples as the stage began.
// Then successful firms found innovation networks: a headquarters actor that pools the
// members' IH triples, produces as a firm and pays its profit above the initial capital
// to the members.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "icn/exec/buckets.h"
#include "icn/exec/openmp.h"
#include "icn/model/cluster/context.h"
#include "icn/model/cluster/intermediaries.h"
#include "icn/model/cluster/ledger.h"

namespace icn::model::cluster {

/// Offers one triple to actor s: a known capability takes the offered (a, e) when the
/// offered expertise is higher; a new one is added (fresh) with expertise
/// max(min_expertise, e - 1) if the kene has room. Returns 1 when a triple was added.
int share_triple(State& st, std::uint32_t s, const Triple& offered, int min_expertise);

/// Offers a list of triples sorted by capability (an IH) to actor s, as share_triple()
/// does for each, in one merge pass. Returns how many triples were added.
/// `loss` is the expertise a new triple loses (1; 0 when an intermediary brokered the
/// partnership).
int share_triples(State& st, std::uint32_t s, std::span<const Triple> offered, int min_expertise,
                  int loss = 1);

class Sharing {
 public:
  void run(State& st, Ledger& ledger, const TickContext& ctx);
  /// Brokered partnerships share without loss (nullptr: no intermediaries).
  void set_intermediaries(const Intermediaries* brokers) { brokers_ = brokers; }

  /// Partners exchange IH triples (synchronous); fills the knowledge-flow counters.
  void share_in_partnerships(State& st, const TickContext& ctx);
  /// Pays each network's profit above initial_capital to its members in equal shares.
  void pay_dividends(State& st, Ledger& ledger, const Settings& set, int threads = 1);
  /// Successful firms (reward above success_threshold, capital above initial capital,
  /// with partners, in no network) found a network with their partnership component
  /// among firms in no network; the lowest id founds when several could.
  void found_networks(State& st, Ledger& ledger, const TickContext& ctx);
  /// A new headquarters' kene (its members' IH triples pooled), IH, product and price.
  void fill_hq(State& st, std::uint32_t hq, std::span<const std::uint32_t> members,
               const TickContext& ctx);

  /// Members (slots, ascending) of each network, by HQ slot; valid after members_by_hq().
  void members_by_hq(const State& st, int threads = 1);
  std::span<const std::uint32_t> members_of(std::uint32_t hq) const {
    return {members_.data() + member_start_[hq], members_.data() + member_start_[hq + 1]};
  }

 private:
  std::vector<Triple> ih_snap_;
  std::vector<std::uint8_t> ih_snap_len_;
  using FlowMatrix = std::array<std::array<std::uint32_t, kActorTypes>, kActorTypes>;
  /// Per thread: triples acquired, [source][target type].
  std::vector<exec::Padded<FlowMatrix>> flows_;
  std::vector<std::uint32_t> member_start_, members_;
  exec::BucketScratch member_scratch_;
  std::vector<std::uint32_t> chosen_;  ///< possible founders of networks
  exec::SelectScratch select_;
  std::vector<std::uint8_t> seen_;
  std::vector<std::uint32_t> queue_;
  struct Founded {
    std::uint32_t founder;  ///< slot of the possible founder whose component it is
    std::uint32_t hq;       ///< slot of the new headquarters
    std::uint32_t first;    ///< its first member in founded_members_
  };
  std::vector<Founded> founded_;  ///< this tick's new networks, plus an end marker
  std::vector<std::uint32_t> founded_members_;
  const Intermediaries* brokers_ = nullptr;
};

}  // namespace icn::model::cluster
