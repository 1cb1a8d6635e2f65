#include "icn/exec/sweep_checkpoint.h"

#include <bit>
#include <iostream>
#include <set>
#include <sstream>
#include <variant>

#include "icn/core/error.h"
#include "icn/exec/detail/wire.h"
#include "icn/exec/sweep.h"

namespace icn::exec {

namespace {

constexpr const char* kPointsBlob = "points";
constexpr const char* kOpenBlob = "open";

void hash_u64(std::uint64_t& h, std::uint64_t v) {
  std::array<std::byte, 8> le{};
  for (int i = 0; i < 8; ++i)
    le[static_cast<std::size_t>(i)] = static_cast<std::byte>(v >> (8 * i));
  h = fnv1a64(le, h);
}

/// Every value with a type tag, so 1 (int) and 1.0 (real) or "1" differ.
std::uint64_t hash_points(const std::vector<ParamValues>& points) {
  std::uint64_t h = fnv1a64({});
  hash_u64(h, points.size());
  for (const ParamValues& p : points) {
    hash_u64(h, p.size());
    for (std::size_t i = 0; i < p.size(); ++i) {
      const Value& v = p.at(i);
      hash_u64(h, v.index());
      if (const auto* b = std::get_if<bool>(&v)) hash_u64(h, *b ? 1 : 0);
      if (const auto* n = std::get_if<std::int64_t>(&v))
        hash_u64(h, static_cast<std::uint64_t>(*n));
      if (const auto* d = std::get_if<double>(&v)) hash_u64(h, std::bit_cast<std::uint64_t>(*d));
      if (const auto* s = std::get_if<std::string>(&v)) {
        hash_u64(h, s->size());
        h = fnv1a64(std::as_bytes(std::span<const char>(s->data(), s->size())), h);
      }
    }
  }
  return h;
}

template <class T>
std::span<const T> slice(const std::vector<T>& v, std::size_t first, std::size_t n) {
  return std::span<const T>(v).subspan(first, n);
}

template <class T>
void put_slice(detail::Writer& w, const std::vector<T>& v, std::size_t first, std::size_t n) {
  w.put_span(slice(v, first, n));
}

void put_slice(detail::Writer& w, const std::vector<std::string>& v, std::size_t first,
               std::size_t n) {
  w.put<std::uint64_t>(n);
  for (const std::string& s : slice(v, first, n)) w.put_string(s);
}

void get_slice(detail::Reader& r, std::vector<std::string>& v, std::size_t first, std::size_t n) {
  if (r.get<std::uint64_t>() != n || first + n > v.size())
    throw RuntimeError("a string array of the wrong length");
  for (std::size_t i = 0; i < n; ++i) v[first + i] = r.get_string();
}

/// Reads a length-prefixed array of exactly `n` items into v[first, first + n).
template <class T>
void get_slice(detail::Reader& r, std::vector<T>& v, std::size_t first, std::size_t n) {
  const std::vector<T> got = r.get_vector<T>();
  if (got.size() != n || first + n > v.size()) {
    throw RuntimeError("array of " + std::to_string(got.size()) + " values where " +
                       std::to_string(n) + " fit");
  }
  std::copy(got.begin(), got.end(), v.begin() + static_cast<std::ptrdiff_t>(first));
}

/// The cells of point p in an OutputStats with `columns` columns.
template <class Stats, class Io>
void point_cells(Stats& o, std::size_t p, std::size_t columns, Io&& io) {
  const std::size_t levels = quantile_levels().size();
  io(o.count, p * columns, columns);
  io(o.mean, p * columns, columns);
  io(o.var, p * columns, columns);
  io(o.min, p * columns, columns);
  io(o.max, p * columns, columns);
  io(o.quantiles, p * columns * levels, columns * levels);
}

/// The /runs rows of point p: replicates consecutive rows.
template <class Table, class Io>
void point_rows(Table& t, std::size_t p, std::size_t replicates, Io&& io) {
  const std::size_t first = p * replicates;
  io(t.point, first, replicates);
  io(t.replicate, first, replicates);
  io(t.status, first, replicates);
  io(t.attempts, first, replicates);
  io(t.message, first, replicates);
  io(t.rank, first, replicates);
  io(t.wall_seconds, first, replicates);
  for (auto& column : t.finals) io(column, first, replicates);
  for (auto& column : t.last) io(column, first, replicates);
  if (!t.series.empty()) {
    const std::size_t per_run = t.series.size() / t.point.size();
    io(t.series, first * per_run, replicates * per_run);
  }
}

template <class Results, class Io>
void point_all(Results& r, std::size_t p, Io&& io) {
  const auto columns = static_cast<std::size_t>(r.ticks + 1);
  for (auto& o : r.series) point_cells(o, p, columns, io);
  for (auto& o : r.final_stats) point_cells(o, p, 1, io);
  point_rows(r.runs, p, static_cast<std::size_t>(r.replicates), io);
}

void mark_point_done(DoneSet& done, const ChunkPlan& plan, std::int64_t point) {
  for (std::int64_t i = 0; i < plan.chunks_per_point(); ++i) {
    done.set(static_cast<std::uint64_t>(point * plan.chunks_per_point() + i));
  }
}

}  // namespace

CheckpointIdentity sweep_identity(const SweepSpec& spec, const ChunkPlan& plan) {
  std::ostringstream text;
  text << "model = " << spec.model->name << "\nticks = " << spec.ticks
       << "\nseed = " << spec.master_seed << "\nreplicates = " << spec.replicates
       << "\nchunk = " << spec.chunk << "\nkeep_runs = " << spec.keep_runs << "\nobservables =";
  for (const auto& o : spec.model->observables) text << " " << o;
  text << "\nfinals =";
  for (const auto& f : spec.model->finals) text << " " << f;
  text << "\n";
  return current_identity(hash_text(text.str()), hash_points(spec.points),
                          static_cast<std::uint64_t>(plan.n_chunks()));
}

std::shared_ptr<const Checkpoint> load_resume_checkpoint(const SweepSpec& spec,
                                                         const std::string& path, bool force) {
  auto c = std::make_shared<Checkpoint>(read_checkpoint(path));
  const ChunkPlan plan(static_cast<std::int64_t>(spec.points.size()), spec.replicates, spec.chunk);
  for (const std::string& d : check_resumable(*c, sweep_identity(spec, plan), path, force)) {
    std::cerr << "icnsim: warning: --force: " << path << ": checkpoint " << d << std::endl;
  }
  return c;
}

namespace {

Bytes encode_points(const SweepResults& results, const SweepState& state) {
  detail::Writer w;
  std::uint64_t n_complete = 0;
  for (const char complete : state.point_complete) n_complete += complete ? 1 : 0;
  w.put<std::uint64_t>(n_complete);
  const auto write = [&w](const auto& v, std::size_t first, std::size_t n) {
    put_slice(w, v, first, n);
  };
  for (std::size_t p = 0; p < state.point_complete.size(); ++p) {
    if (!state.point_complete[p]) continue;
    w.put<std::int64_t>(static_cast<std::int64_t>(p));
    point_all(results, p, write);
  }
  return w.take();
}

Bytes encode_open(const SweepState& state) {
  detail::Writer w;
  std::uint64_t n_open = 0;
  for (const auto& [point, chunks] : state.open) n_open += chunks.size();
  w.put<std::uint64_t>(n_open);
  for (const auto& [point, chunks] : state.open) {
    for (const OpenChunk& oc : chunks) {
      w.put<std::int64_t>(oc.id);
      w.put<std::int64_t>(oc.rank);
      w.put_span(std::span<const std::byte>(oc.bytes));
    }
  }
  return w.take();
}

}  // namespace

Checkpoint make_sweep_checkpoint(const CheckpointIdentity& identity, std::uint64_t sequence,
                                 const ChunkPlan& plan, const SweepResults& results,
                                 const SweepState& state) {
  Checkpoint c;
  c.identity = identity;
  c.sequence = sequence;
  c.created_unix_s = static_cast<std::int64_t>(WallClock::to_time_t(WallClock::now()));
  c.done = DoneSet(identity.n_units);
  for (std::size_t p = 0; p < state.point_complete.size(); ++p) {
    if (state.point_complete[p]) mark_point_done(c.done, plan, static_cast<std::int64_t>(p));
  }
  for (const auto& [point, chunks] : state.open) {
    for (const OpenChunk& oc : chunks) c.done.set(static_cast<std::uint64_t>(oc.id));
  }
  c.blobs.push_back({kPointsBlob, encode_points(results, state)});
  c.blobs.push_back({kOpenBlob, encode_open(state)});
  return c;
}

RestoredSweep restore_sweep_checkpoint(const Checkpoint& c, const ChunkPlan& plan,
                                       SweepResults& results, const std::string& origin) {
  const auto unfit = [&origin](const std::string& why) {
    return InputError(origin + ": the checkpoint's results do not fit this sweep: " + why);
  };
  const CheckpointBlob* points_blob = c.find(kPointsBlob);
  const CheckpointBlob* open_blob = c.find(kOpenBlob);
  if (!points_blob || !open_blob) throw unfit("it has no sweep state");

  RestoredSweep out;
  out.point_complete.assign(static_cast<std::size_t>(plan.n_points()), 0);
  out.done = DoneSet(static_cast<std::uint64_t>(plan.n_chunks()));
  try {
    detail::Reader rp(points_blob->data);
    const auto n_complete = rp.get<std::uint64_t>();
    if (n_complete > static_cast<std::uint64_t>(plan.n_points())) throw unfit("too many points");
    const auto read = [&rp](auto& v, std::size_t first, std::size_t n) {
      get_slice(rp, v, first, n);
    };
    for (std::uint64_t i = 0; i < n_complete; ++i) {
      const auto p = rp.get<std::int64_t>();
      if (p < 0 || p >= plan.n_points() || out.point_complete[static_cast<std::size_t>(p)]) {
        throw unfit("point " + std::to_string(p) + " is out of range or repeated");
      }
      out.point_complete[static_cast<std::size_t>(p)] = 1;
      point_all(results, static_cast<std::size_t>(p), read);
      mark_point_done(out.done, plan, p);
      out.tasks_done += plan.replicates();
    }
    if (!rp.at_end()) throw unfit("trailing bytes after the points");

    detail::Reader ro(open_blob->data);
    const auto n_open = ro.get<std::uint64_t>();
    for (std::uint64_t i = 0; i < n_open; ++i) {
      OpenChunk oc;
      oc.id = ro.get<std::int64_t>();
      oc.rank = static_cast<int>(ro.get<std::int64_t>());
      oc.bytes = ro.get_vector<std::byte>();
      if (oc.id < 0 || oc.id >= plan.n_chunks() ||
          out.done.test(static_cast<std::uint64_t>(oc.id))) {
        throw unfit("chunk " + std::to_string(oc.id) + " is out of range or repeated");
      }
      out.done.set(static_cast<std::uint64_t>(oc.id));
      out.replay.push_back(std::move(oc));
    }
    if (!ro.at_end()) throw unfit("trailing bytes after the open chunks");
  } catch (const RuntimeError& e) {
    throw unfit(e.what());
  }
  if (!(out.done == c.done)) throw unfit("its done set disagrees with its contents");
  return out;
}

}  // namespace icn::exec
