#pragma once
// The cluster's actors as a structure of arrays (MODEL.md sections 2-3).
//
// Every actor has a stable id (never reused, assigned in a deterministic order) and a
// slot (its index in the columns). Slots are always in increasing id order: new actors
// are appended and compaction keeps the order, so a loop over slots is a loop over ids.
// An exited actor stays as a tombstone (alive = 0) until compact(). Persistent
// relations (geographic ties, previous partners, suppliers, partnerships, network
// membership) store ids, so compaction never has to rewrite them; transient per-tick
// structures (customer lists, partner lists) store slots.
//
// Kenes live in one flat pool of triples: each actor owns a block of `kene_cap` triples
// starting at `kene_off`, of which the first `kene_len` are in use, sorted by capability
// (so that two kenes compare in one merge pass, and an IH lists its triples in
// capability order).
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "icn/exec/buckets.h"

namespace icn::model::cluster {

/// Actor types (codes are part of the snapshot format, docs/model.md).
enum class ActorType : std::uint8_t {
  kSme = 0,
  kLeading = 1,
  kUniversity = 2,
  kIntermediary = 3,
  kGovernment = 4,
  kBank = 5,
  kHeadquarters = 6,  ///< the firm that produces for an innovation network
};
constexpr int kActorTypes = 7;

/// A company that barters, searches partners and may exit (SMEs and leading firms).
inline bool is_firm(ActorType t) { return t == ActorType::kSme || t == ActorType::kLeading; }
/// An actor that takes part in the market, researches and learns (firms and network HQs).
inline bool is_producer(ActorType t) { return is_firm(t) || t == ActorType::kHeadquarters; }
const char* type_name(ActorType t);

constexpr std::uint32_t kNone = 0xFFFFFFFFu;
constexpr int kMaxIh = 10;
constexpr int kMaxInputs = 4;

/// Triple flags.
enum TripleFlag : std::uint8_t {
  kInIh = 1,       ///< part of the actor's innovation hypothesis
  kFresh = 2,      ///< acquired this tick: exempt from this tick's forgetting
  kCommitted = 4,  ///< committed to a running project: never forgotten (project layer)
};

/// One unit of knowledge: capability c, ability a in [0, 10], expertise e in 1..10.
/// `tid` is unique within the owning actor's kene for the actor's whole life.
struct Triple {
  std::uint32_t tid = 0;
  std::uint16_t cap = 0;
  std::uint8_t e = 0;
  std::uint8_t flags = 0;
  double a = 0;
};

/// Index of the first of `len` triples (sorted by capability) whose capability is `cap`
/// or more; `len` if none. Branch-free halving: where a linear scan of a kene stops is data
/// the branch predictor cannot learn, while this loop's count depends on `len` only (in
/// callgrind's branch model kene_find's misses fell from 36 k to 21 k over ticks 1-50).
inline int cap_lower_bound(const Triple* k, int len, int cap) {
  if (len <= 0) return 0;
  const Triple* first = k;
  while (len > 1) {  // the answer stays within [first, first + len]
    const int half = len / 2;
    first = first[half].cap < cap ? first + half : first;
    len -= half;
  }
  return static_cast<int>(first - k) + (first->cap < cap);
}

/// Where the inputs of a product come from: input k is mapped from IH positions
/// [begin[k], end[k]] (inclusive). Drawn with the IH, kept while the IH lives.
struct IhShape {
  std::uint8_t n_inputs = 0;
  std::array<std::uint8_t, kMaxInputs> begin{};
  std::array<std::uint8_t, kMaxInputs> end{};
};

/// A remembered partner: id, tick of the latest partnership with it, and its outcome
/// (1 both traded at the next market, 0 not, -1 not yet known).
struct PrevPartner {
  std::uint32_t id = kNone;
  std::int32_t tick = 0;
  std::int8_t outcome = -1;
};

/// An active partnership between two actors (ids, a < b) formed at tick `formed`.
struct Partnership {
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  std::int32_t formed = 0;
  friend bool operator==(const Partnership&, const Partnership&) = default;
};

class State {
 public:
  /// `geo_stride`: most geographic ties per actor; `prev_stride`: previous partners kept.
  State(std::uint32_t geo_stride, std::uint32_t prev_stride);

  /// Appends an actor with the next id and an empty kene of `kene_capacity`; returns its slot.
  std::uint32_t add_actor(ActorType t, double x, double y, double capital,
                          std::uint32_t kene_capacity);
  /// Reserves room for `actors` actors with `triples` kene triples in all, so that
  /// building a large population does not reallocate and copy every column.
  void reserve(std::uint32_t actors, std::uint64_t triples);
  /// Makes room for `actors` more actors with `triples` kene triples in all, the memory
  /// they will occupy faulted in by a team of `threads` (exec/first_touch.h): the actors
  /// are then added one by one, by serial code, without page faults. Only speed depends
  /// on it; on one thread, or for fewer than kTeamRoomActors actors, it does nothing (the
  /// writer's own faults cost the same there).
  void make_room(std::uint32_t actors, std::uint64_t triples, int threads);
  /// Fewer entrants than this are left to fault their own pages: a team's first touch
  /// costs a parallel region and an madvise per column, more than the few pages of a
  /// handful of start-ups or outsiders, and leaves the lines it cleared in the other
  /// core's cache (docs/performance.md, "Fifteenth session").
  static constexpr std::uint32_t kTeamRoomActors = 64;
  /// Marks the actor at `slot` exited (a tombstone until compact()).
  void kill(std::uint32_t slot);

  std::uint32_t slots() const { return static_cast<std::uint32_t>(id.size()); }
  std::uint32_t live_count() const { return slots() - dead_; }
  std::uint32_t dead_count() const { return dead_; }
  std::uint32_t next_id() const { return static_cast<std::uint32_t>(slot_of_.size()); }
  /// Slot of a live actor, kNone when the id is unknown or exited.
  std::uint32_t slot_of(std::uint32_t actor_id) const {
    return actor_id < slot_of_.size() ? slot_of_[actor_id] : kNone;
  }
  bool is_alive_id(std::uint32_t actor_id) const { return slot_of(actor_id) != kNone; }

  // Kene.
  std::span<Triple> kene(std::uint32_t s) { return {pool.data() + kene_off[s], kene_len[s]}; }
  std::span<const Triple> kene(std::uint32_t s) const {
    return {pool.data() + kene_off[s], kene_len[s]};
  }
  bool kene_full(std::uint32_t s) const { return kene_len[s] >= kene_cap[s]; }
  /// Index of capability `cap` in the kene, -1 if absent.
  int kene_find(std::uint32_t s, int cap) const;
  /// Index of triple id `tid` in the kene, -1 if absent.
  int kene_find_tid(std::uint32_t s, std::uint32_t tid) const;
  /// Inserts a new triple (capability not yet present) with a fresh tid at its sorted
  /// place; false (and nothing done) when full.
  bool kene_append(std::uint32_t s, int cap, double a, int e, std::uint8_t flags);
  /// Inserts a new triple at position `idx`, which must keep the kene sorted by capability.
  bool kene_insert_at(std::uint32_t s, int idx, int cap, double a, int e, std::uint8_t flags);
  /// Removes the triple at `idx`, keeping the order; drops it from the IH if it was there.
  void kene_erase(std::uint32_t s, int idx);

  // Innovation hypothesis: triple ids in IH order, which is kene (capability) order:
  // set_ih() sorts them, and a triple keeps its capability while it lives.
  std::span<const std::uint32_t> ih(std::uint32_t s) const {
    return {ih_tid.data() + static_cast<std::size_t>(s) * kMaxIh, ih_len[s]};
  }
  /// Replaces the IH (tids in the kene; stored in kene order) and its input shape; marks
  /// the product dirty.
  void set_ih(std::uint32_t s, std::span<const std::uint32_t> tids, const IhShape& shape);
  /// Copies the IH triples in IH order into `out`; returns how many.
  int gather_ih(std::uint32_t s, std::array<Triple, kMaxIh>& out) const;
  /// The kene positions of the IH triples, ascending (IH order).
  std::span<const std::uint8_t> ih_positions(std::uint32_t s) const {
    return {ih_pos[s].data(), ih_len[s]};
  }

  // Geographic ties (ids).
  std::span<const std::uint32_t> geo(std::uint32_t s) const {
    return {geo_ids.data() + static_cast<std::size_t>(s) * geo_stride_, geo_len[s]};
  }
  std::uint32_t geo_stride() const { return geo_stride_; }
  /// `s` has as many geographic ties as it may (geo_tie_max) and refuses another.
  bool geo_full(std::uint32_t s) const { return geo_len[s] >= geo_stride_; }
  /// Links two actors; false when either has no room or they are already linked.
  bool add_geo_tie(std::uint32_t sa, std::uint32_t sb);
  /// Asks the cache for what add_geo_tie reads and writes of `s` (its id, tie count and
  /// row): serial code that links actors anywhere in memory issues this a few ties ahead.
  void prefetch_geo(std::uint32_t s) const {
    __builtin_prefetch(id.data() + s);
    __builtin_prefetch(geo_len.data() + s);
    __builtin_prefetch(geo_ids.data() + static_cast<std::size_t>(s) * geo_stride_);
  }

  // Previous partners (most recent first).
  std::span<PrevPartner> prev(std::uint32_t s) {
    return {prev_partners.data() + static_cast<std::size_t>(s) * prev_stride_, prev_len[s]};
  }
  std::span<const PrevPartner> prev(std::uint32_t s) const {
    return {prev_partners.data() + static_cast<std::size_t>(s) * prev_stride_, prev_len[s]};
  }
  std::uint32_t prev_stride() const { return prev_stride_; }
  /// Moves (or inserts) `partner_id` to the front with `tick` and an unknown outcome;
  /// the oldest is forgotten when the memory is full.
  void record_partner(std::uint32_t s, std::uint32_t partner_id, std::int32_t tick);

  /// Rebuilds the customer lists (slots) from the suppliers of the last market.
  void build_customer_lists(int threads = 1);
  std::span<const std::uint32_t> customers_of(std::uint32_t s) const {
    return {cust.data() + cust_start[s], cust.data() + cust_start[s + 1]};
  }

  /// Rebuilds the partner lists (slots, ascending) from `partnerships`.
  void build_partner_lists(int threads = 1);
  /// Empty partner lists for the slots added since the last build, the others kept: what
  /// a rebuild gives when `partnerships` has not changed since (new actors have no
  /// partners yet), without its O(slots + partnerships) passes.
  void extend_partner_lists() {
    if (partner_start.empty()) return build_partner_lists();
    partner_start.resize(std::size_t{slots()} + 1, partner_start.back());
  }
  std::span<const std::uint32_t> partners_of(std::uint32_t s) const {
    return {partner_list.data() + partner_start[s], partner_list.data() + partner_start[s + 1]};
  }

  /// Removes every reference to exited actors: geographic ties, previous partners,
  /// suppliers, partnerships and network membership. O(slots), parallel over actors.
  void purge_dead_references(int threads);
  /// Drops tombstones (after purge_dead_references); slots change, ids do not.
  void compact();

  // Columns, one entry per slot.
  std::vector<std::uint32_t> id;
  std::vector<ActorType> type;
  std::vector<std::uint8_t> alive;
  std::vector<std::uint8_t> theme;
  std::vector<std::int32_t> born;  ///< tick of entry (0 = initial population)
  std::vector<double> x, y;
  std::vector<double> capital;
  // Production.
  std::vector<std::int16_t> product;  ///< -1: none yet
  std::vector<std::array<std::int16_t, kMaxInputs>> inputs;
  std::vector<std::uint8_t> n_inputs;  ///< 0: inputs cannot be formed; does not produce
  std::vector<IhShape> shape;
  std::vector<double> price;
  std::vector<double> quality;
  std::vector<std::uint8_t> dirty;  ///< product and inputs must be recomputed
  // Market outcome of the current tick.
  std::vector<std::uint8_t> selling;     ///< passed demand and supply availability
  std::vector<std::uint8_t> trading;     ///< also profitable: bought, produced, sold
  std::vector<std::uint32_t> customers;  ///< sales this tick (firm purchases + consumer sale)
  std::vector<double> revenue;           ///< cash received from sales this tick
  std::vector<double> unit_cost;         ///< input cost this tick
  std::vector<double> reward;            ///< SKIN reward: sum over sales of (price - unit cost)
  std::vector<std::array<std::uint32_t, kMaxInputs>> suppliers;  ///< ids, kNone for raw
  // Knowledge bookkeeping.
  std::vector<std::uint32_t> kene_off;
  std::vector<std::uint8_t> kene_cap;
  std::vector<std::uint8_t> kene_len;
  std::vector<std::uint32_t> next_tid;
  std::vector<std::uint8_t> ih_len;
  /// Kene positions of the IH triples (ih_len of them, ascending): kept up to date by
  /// set_ih, kene_insert_at and kene_erase, so that reading the IH does not scan the kene.
  std::vector<std::array<std::uint8_t, kMaxIh>> ih_pos;
  std::vector<std::int8_t> research_dir;    ///< +1 up, -1 down, 0 choose afresh
  std::vector<std::uint32_t> research_tid;  ///< the IH triple under incremental research
  // Relations.
  std::vector<std::uint8_t> geo_len;
  std::vector<std::uint8_t> prev_len;
  std::vector<std::uint32_t> network;   ///< id of the network's HQ, kNone if none
  std::vector<std::uint8_t> partnered;  ///< had a partner this tick

  // Strided and pooled storage.
  std::vector<Triple> pool;
  std::vector<std::uint32_t> ih_tid;       ///< kMaxIh per slot
  std::vector<std::uint32_t> geo_ids;      ///< geo_stride per slot
  std::vector<PrevPartner> prev_partners;  ///< prev_stride per slot
  /// Active partnerships sorted by (a, b).
  std::vector<Partnership> partnerships;
  /// Customer lists of the last market (slots; rebuilt by build_customer_lists()).
  std::vector<std::uint32_t> cust_start, cust;
  /// Partner lists of the active partnerships (slots; rebuilt by build_partner_lists()).
  std::vector<std::uint32_t> partner_start, partner_list;

 private:
  template <class F>
  void for_each_column(F&& f);

  std::uint32_t geo_stride_;
  std::uint32_t prev_stride_;
  std::uint32_t dead_ = 0;
  std::vector<std::uint32_t> slot_of_;  ///< id -> slot (kNone once exited)
  std::vector<Triple> pool_scratch_;
  exec::BucketScratch list_scratch_;  ///< of the customer and partner list builders
};

}  // namespace icn::model::cluster
