#pragma once
// Government calls for collaborative projects (MODEL.md section 4.3, after INFSO-SKIN,
// Ahrweiler et al. 2015). Runs after the cooperation stage, serially.
//
//  - Opening: every `call_every` ticks the government opens a call: `call_capabilities`
//    distinct capabilities of one theme (uniform among the blob themes) and a budget
//    min(`call_budget`, government capital).
//  - Proposals: at the opening, each university in no running project initiates one. It
//    invites, in order, its previous partners, their previous partners, then random firms
//    (at most `call_invites` invitations; a firm already in a running project or in
//    another proposal of the call declines) and stops as soon as the proposal is
//    eligible: `proposal_min`..`proposal_max` members (the university included) whose
//    kenes together cover at least `proposal_match` of the call's capabilities. A
//    proposal still ineligible after the invitations is dropped.
//  - Deadline (`call_deadline` ticks after the opening): members that exited are dropped
//    and eligibility is checked again; proposals are ranked by the mean expertise of
//    their members' triples on the call's capabilities, then by match, then by a random
//    key, and funded down the list while the budget left covers `project_grant`.
//  - Projects last `project_ticks` ticks. Each tick the government pays project_grant /
//    project_ticks, split equally among the live members (transfer `call_funding`) while
//    its capital covers it; the members are partners of each other (they share IHs) and
//    remember each other; their triples on the call's capabilities are committed (never
//    forgotten) while it runs.
#include <cstdint>
#include <vector>

#include "icn/model/cluster/context.h"
#include "icn/model/cluster/ledger.h"

namespace icn::model::cluster {

struct Proposal {
  std::uint32_t university = kNone;    ///< id
  std::vector<std::uint32_t> members;  ///< ids, the university first
  int match = 0;                       ///< call capabilities covered
  double mean_expertise = 0;           ///< on the call's capabilities
  std::uint32_t key = 0;               ///< random tie-break
};

struct Project {
  std::vector<std::uint32_t> members;  ///< ids
  std::vector<std::uint16_t> caps;     ///< the call's capabilities (sorted)
  std::int32_t start = 0;
  std::int32_t end = 0;  ///< last tick + 1
  double per_tick = 0;   ///< paid per tick, split among live members
};

class Calls {
 public:
  /// The layer's work of one tick (after cooperation, before sharing).
  void run(State& st, Ledger& ledger, const TickContext& ctx);

  /// Call capabilities covered by the members' kenes, and their mean expertise on them.
  static void assess(const State& st, Proposal& p, const std::vector<std::uint16_t>& caps);
  static bool eligible(const Proposal& p, const Settings& set);
  /// Ranks the proposals (mean expertise, match, key; best first) and returns the indices
  /// funded with `budget`: down the list while the budget left covers project_grant.
  /// Ineligible proposals are skipped.
  static std::vector<std::size_t> select(std::vector<Proposal>& proposals, double budget,
                                         const Settings& set);

  const std::vector<Project>& projects() const { return projects_; }
  std::uint32_t open_proposals() const { return static_cast<std::uint32_t>(proposals_.size()); }

 private:
  void open(State& st, const TickContext& ctx);
  void decide(State& st, const TickContext& ctx);
  void pay_and_partner(State& st, Ledger& ledger, const TickContext& ctx);

  std::vector<std::uint16_t> caps_;  ///< of the open call
  std::int32_t deadline_ = -1;       ///< -1: no call open
  double budget_ = 0;
  std::vector<Proposal> proposals_;
  std::vector<Project> projects_;
  std::vector<std::uint8_t> busy_;  ///< by id: in a running project or a proposal
};

}  // namespace icn::model::cluster
