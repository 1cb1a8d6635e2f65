#include "icn/exec/checkpoint.h"

#include <array>
#include <bit>
#include <cstring>
#include <set>

#include "icn/core/error.h"
#include "icn/core/version.h"
#include "icn/io/atomic_file.h"

namespace icn::exec {

// ---- checksums and hashes ----

namespace {

constexpr std::array<std::uint32_t, 256> make_crc32c_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1U) ? (c >> 1) ^ 0x82F63B78U : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr auto kCrc32cTable = make_crc32c_table();

}  // namespace

std::uint32_t crc32c(std::span<const std::byte> data, std::uint32_t crc) {
  crc = ~crc;
  for (const std::byte b : data) {
    crc = kCrc32cTable[(crc ^ std::to_integer<std::uint32_t>(b)) & 0xFFU] ^ (crc >> 8);
  }
  return ~crc;
}

std::uint64_t fnv1a64(std::span<const std::byte> data, std::uint64_t hash) {
  for (const std::byte b : data) {
    hash ^= std::to_integer<std::uint64_t>(b);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::uint64_t hash_text(std::string_view text) {
  return fnv1a64(std::as_bytes(std::span<const char>(text.data(), text.size())));
}

std::uint64_t hash_doubles(std::span<const double> values) {
  std::uint64_t hash = fnv1a64({});
  for (const double v : values) {
    const auto bits = std::bit_cast<std::uint64_t>(v);
    std::array<std::byte, 8> le{};
    for (int i = 0; i < 8; ++i) le[i] = static_cast<std::byte>(bits >> (8 * i));
    hash = fnv1a64(le, hash);
  }
  return hash;
}

// ---- done set ----

DoneSet::DoneSet(std::uint64_t size) : size_(size), words_(size / 64 + (size % 64 != 0), 0) {}

bool DoneSet::test(std::uint64_t id) const {
  return id < size_ && ((words_[id / 64] >> (id % 64)) & 1U) != 0;
}

void DoneSet::set(std::uint64_t id) {
  if (id >= size_) {
    throw RuntimeError("internal: unit " + std::to_string(id) + " outside a done set of " +
                       std::to_string(size_));
  }
  words_[id / 64] |= std::uint64_t{1} << (id % 64);
}

std::uint64_t DoneSet::count() const {
  std::uint64_t n = 0;
  for (const auto w : words_) n += static_cast<std::uint64_t>(std::popcount(w));
  return n;
}

DoneSet DoneSet::from_words(std::uint64_t size, std::vector<std::uint64_t> words,
                            const std::string& origin) {
  DoneSet d;
  d.size_ = size;
  if (words.size() != size / 64 + (size % 64 != 0)) {
    throw InputError(origin + ": corrupted: done set of " + std::to_string(size) + " units has " +
                     std::to_string(words.size()) + " words");
  }
  // Canonical form: no bits past the end, so equal sets have equal images.
  if (size % 64 != 0 && (words.back() >> (size % 64)) != 0) {
    throw InputError(origin + ": corrupted: done set marks units past its end");
  }
  d.words_ = std::move(words);
  return d;
}

CheckpointIdentity current_identity(std::uint64_t config_hash, std::uint64_t design_hash,
                                    std::uint64_t n_units) {
  return {build::kVersion, build::kGitSha, config_hash, design_hash, n_units};
}

const CheckpointBlob* Checkpoint::find(std::string_view name) const {
  for (const auto& b : blobs) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

// ---- encoding ----

namespace {

// Byte offsets of the fixed-size prefix; the reader checks these before the CRC so a
// truncated or foreign file gets a precise message.
constexpr std::size_t kVersionOffset = 8;
constexpr std::size_t kSizeOffset = 12;
constexpr std::size_t kFixedPrefix = 20;
constexpr std::size_t kTrailer = 4;

class ImageWriter {
 public:
  void bytes(std::span<const std::byte> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  template <class T>
  void integer(T v) {
    const auto u = static_cast<std::make_unsigned_t<T>>(v);
    for (std::size_t i = 0; i < sizeof(T); ++i)
      out_.push_back(static_cast<std::byte>(u >> (8 * i)));
  }
  void string(std::string_view s) {
    if (s.size() > kMaxStringBytes) {
      throw RuntimeError("internal: checkpoint string of " + std::to_string(s.size()) + " bytes");
    }
    integer(static_cast<std::uint32_t>(s.size()));
    bytes(std::as_bytes(std::span<const char>(s.data(), s.size())));
  }
  void patch_u64(std::size_t offset, std::uint64_t v) {
    for (std::size_t i = 0; i < 8; ++i) out_[offset + i] = static_cast<std::byte>(v >> (8 * i));
  }
  std::vector<std::byte>& image() { return out_; }

 private:
  std::vector<std::byte> out_;
};

/// Bounds-checked reads; every failure names the field so a corrupted file is diagnosable.
class ImageReader {
 public:
  ImageReader(std::span<const std::byte> in, const std::string& origin)
      : in_(in), origin_(origin) {}

  template <class T>
  T integer(const char* field) {
    const auto b = take(sizeof(T), field);
    std::make_unsigned_t<T> u = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      u |= static_cast<std::make_unsigned_t<T>>(std::to_integer<std::make_unsigned_t<T>>(b[i])
                                                << (8 * i));
    }
    return static_cast<T>(u);
  }
  std::string string(const char* field) {
    const auto n = integer<std::uint32_t>(field);
    if (n > kMaxStringBytes)
      corrupt(std::string(field) + " is " + std::to_string(n) + " bytes long");
    const auto b = take(n, field);
    return {reinterpret_cast<const char*>(b.data()), b.size()};
  }
  std::span<const std::byte> take(std::uint64_t n, const char* field) {
    if (n > left()) {
      corrupt(std::string(field) + " needs " + std::to_string(n) + " bytes, " +
              std::to_string(left()) + " left");
    }
    const auto b = in_.subspan(pos_, static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return b;
  }
  std::uint64_t left() const { return in_.size() - pos_; }
  [[noreturn]] void corrupt(const std::string& why) const {
    throw InputError(origin_ + ": corrupted checkpoint: " + why);
  }

 private:
  std::span<const std::byte> in_;
  const std::string& origin_;
  std::size_t pos_ = 0;
};

std::uint64_t read_u64_at(std::span<const std::byte> image, std::size_t offset) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i)
    v |= std::to_integer<std::uint64_t>(image[offset + i]) << (8 * i);
  return v;
}

std::uint32_t read_u32_at(std::span<const std::byte> image, std::size_t offset) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i)
    v |= std::to_integer<std::uint32_t>(image[offset + i]) << (8 * i);
  return v;
}

void check_envelope(std::span<const std::byte> image, const std::string& origin) {
  const auto fail = [&](const std::string& why) { throw InputError(origin + ": " + why); };
  if (image.size() < kFixedPrefix + kTrailer) {
    if (image.size() >= kCheckpointMagic.size() &&
        std::memcmp(image.data(), kCheckpointMagic.data(), kCheckpointMagic.size()) != 0) {
      fail("not an icnsim checkpoint (wrong magic bytes)");
    }
    fail("truncated checkpoint: " + std::to_string(image.size()) + " bytes, less than a header");
  }
  if (std::memcmp(image.data(), kCheckpointMagic.data(), kCheckpointMagic.size()) != 0) {
    fail("not an icnsim checkpoint (wrong magic bytes)");
  }
  const std::uint32_t version = read_u32_at(image, kVersionOffset);
  if (version != kCheckpointFormatVersion) {
    fail("checkpoint format version " + std::to_string(version) + "; this icnsim reads version " +
         std::to_string(kCheckpointFormatVersion));
  }
  const std::uint64_t declared = read_u64_at(image, kSizeOffset);
  if (declared != image.size()) {
    fail(declared > image.size() ? "truncated checkpoint: " + std::to_string(image.size()) +
                                       " of " + std::to_string(declared) + " bytes"
                                 : "corrupted checkpoint: " + std::to_string(image.size()) +
                                       " bytes, the header says " + std::to_string(declared));
  }
  const auto body = image.first(image.size() - kTrailer);
  const std::uint32_t stored = read_u32_at(image, image.size() - kTrailer);
  if (crc32c(body) != stored) fail("corrupted checkpoint: checksum mismatch");
}

std::string hex(std::uint64_t v) {
  static const char* const kDigits = "0123456789abcdef";
  std::string s = "0x";
  for (int i = 60; i >= 0; i -= 4) s += kDigits[(v >> i) & 0xFU];
  return s;
}

}  // namespace

std::vector<std::byte> encode_checkpoint(const Checkpoint& c) {
  if (c.done.size() != c.identity.n_units) {
    throw RuntimeError("internal: checkpoint done set has " + std::to_string(c.done.size()) +
                       " units, the identity " + std::to_string(c.identity.n_units));
  }
  std::set<std::string_view> names;
  for (const auto& b : c.blobs) {
    if (!names.insert(b.name).second)
      throw RuntimeError("internal: checkpoint blob '" + b.name + "' twice");
  }
  ImageWriter w;
  w.bytes(std::as_bytes(std::span<const char>(kCheckpointMagic.data(), kCheckpointMagic.size())));
  w.integer(kCheckpointFormatVersion);
  w.integer(std::uint64_t{0});  // file size, patched below
  w.integer(c.sequence);
  w.integer(c.created_unix_s);
  w.string(c.identity.program_version);
  w.string(c.identity.git_sha);
  w.integer(c.identity.config_hash);
  w.integer(c.identity.design_hash);
  w.integer(c.identity.n_units);
  for (const auto word : c.done.words()) w.integer(word);
  w.integer(static_cast<std::uint32_t>(c.blobs.size()));
  for (const auto& b : c.blobs) {
    w.string(b.name);
    w.integer(static_cast<std::uint64_t>(b.data.size()));
    w.bytes(b.data);
  }
  w.patch_u64(kSizeOffset, w.image().size() + kTrailer);
  w.integer(crc32c(w.image()));
  return std::move(w.image());
}

Checkpoint decode_checkpoint(std::span<const std::byte> image, const std::string& origin) {
  check_envelope(image, origin);
  ImageReader r(image.first(image.size() - kTrailer), origin);
  r.take(kFixedPrefix, "header");
  Checkpoint c;
  c.sequence = r.integer<std::uint64_t>("sequence");
  c.created_unix_s = r.integer<std::int64_t>("creation time");
  c.identity.program_version = r.string("program version");
  c.identity.git_sha = r.string("git sha");
  c.identity.config_hash = r.integer<std::uint64_t>("config hash");
  c.identity.design_hash = r.integer<std::uint64_t>("design hash");
  c.identity.n_units = r.integer<std::uint64_t>("unit count");
  const std::uint64_t n_words = c.identity.n_units / 64 + (c.identity.n_units % 64 != 0);
  // Bound before allocating: a hostile count must not make us reserve terabytes.
  if (n_words > r.left() / 8)
    r.corrupt("done set of " + std::to_string(c.identity.n_units) + " units exceeds the file");
  std::vector<std::uint64_t> words(static_cast<std::size_t>(n_words));
  for (auto& word : words) word = r.integer<std::uint64_t>("done set");
  c.done = DoneSet::from_words(c.identity.n_units, std::move(words), origin);
  const auto n_blobs = r.integer<std::uint32_t>("blob count");
  if (n_blobs > r.left() / 12) r.corrupt(std::to_string(n_blobs) + " blobs exceed the file");
  std::set<std::string> names;
  for (std::uint32_t i = 0; i < n_blobs; ++i) {
    CheckpointBlob b;
    b.name = r.string("blob name");
    if (!names.insert(b.name).second) r.corrupt("blob '" + b.name + "' appears twice");
    const auto size = r.integer<std::uint64_t>("blob size");
    const auto data = r.take(size, "blob data");
    b.data.assign(data.begin(), data.end());
    c.blobs.push_back(std::move(b));
  }
  if (r.left() != 0) r.corrupt(std::to_string(r.left()) + " unexpected bytes after the last blob");
  return c;
}

void write_checkpoint(const std::string& path, const Checkpoint& c) {
  io::write_file_atomic(path, encode_checkpoint(c));
}

Checkpoint read_checkpoint(const std::string& path) {
  return decode_checkpoint(io::read_file_bytes(path), path);
}

std::vector<std::string> check_resumable(const Checkpoint& c, const CheckpointIdentity& expected,
                                         const std::string& origin, bool force) {
  const auto& got = c.identity;
  if (got.n_units != expected.n_units) {
    throw InputError(origin + ": the checkpoint covers " + std::to_string(got.n_units) +
                     " units of work, this run has " + std::to_string(expected.n_units) +
                     "; it belongs to another sweep and cannot be used, even with --force");
  }
  std::vector<std::string> diffs;
  if (got.program_version != expected.program_version || got.git_sha != expected.git_sha) {
    diffs.push_back("written by icnsim " + got.program_version + " (" + got.git_sha +
                    "), this is " + expected.program_version + " (" + expected.git_sha + ")");
  }
  if (got.config_hash != expected.config_hash) {
    diffs.push_back("written for another configuration (hash " + hex(got.config_hash) +
                    ", this run " + hex(expected.config_hash) + ")");
  }
  if (got.design_hash != expected.design_hash) {
    diffs.push_back("written for other design points (hash " + hex(got.design_hash) +
                    ", this run " + hex(expected.design_hash) + ")");
  }
  if (!diffs.empty() && !force) {
    std::string msg = origin + ": checkpoint does not match this run:";
    for (const auto& d : diffs) msg += "\n  - " + d;
    msg +=
        "\nresume with the program and configuration that wrote it, or pass --force to use it "
        "anyway";
    throw InputError(msg);
  }
  return diffs;
}

}  // namespace icn::exec
