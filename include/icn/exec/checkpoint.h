#pragma once
// The checkpoint file of an ensemble: which units of work (tasks or chunks) are done, and
// opaque payload blobs holding their contributions (the driver's serialized aggregates and
// /runs rows). Written atomically (io/atomic_file.h), so a crash at any moment leaves the
// previous checkpoint intact; read back with every byte checked.
//
// Why a binary format of our own rather than HDF5: the file is one buffer committed with
// write + fsync + rename, so its validity is all-or-nothing; a CRC over every byte detects
// truncation and corruption before anything is interpreted; the reader is ~100 lines that
// can be fuzzed from memory; and the HDF5 library is not hardened against hostile files.
//
// Layout, version 1 (integers little-endian, strings = u32 length + bytes):
//   magic "ICNCKPT\n" | u32 format version | u64 file size | u64 sequence |
//   i64 created (unix s) | str program version | str git sha | u64 config hash |
//   u64 design hash | u64 n_units | u64 done words [ceil(n_units / 64)] |
//   u32 n_blobs | n_blobs × (str name, u64 size, bytes) | u32 CRC-32C of all before it
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace icn::exec {

inline constexpr std::uint32_t kCheckpointFormatVersion = 1;
inline constexpr std::string_view kCheckpointMagic{"ICNCKPT\n", 8};

/// CRC-32C (Castagnoli, reflected 0x82F63B78), as used by iSCSI and ext4: detects every
/// error burst up to 32 bits. `crc` continues an earlier call (0 to start).
std::uint32_t crc32c(std::span<const std::byte> data, std::uint32_t crc = 0);

/// 64-bit FNV-1a: identity hashes of configurations and designs (not a checksum).
std::uint64_t fnv1a64(std::span<const std::byte> data, std::uint64_t hash = 0xcbf29ce484222325ULL);
std::uint64_t hash_text(std::string_view text);
/// Hash of the bit patterns of `values` (little-endian), so -0.0 and 0.0 differ, as they
/// may in results.
std::uint64_t hash_doubles(std::span<const double> values);

/// A fixed-size set of unit ids [0, size()).
class DoneSet {
 public:
  DoneSet() = default;
  explicit DoneSet(std::uint64_t size);

  std::uint64_t size() const { return size_; }
  bool test(std::uint64_t id) const;
  void set(std::uint64_t id);
  std::uint64_t count() const;
  /// Bit i % 64 of word i / 64 is unit i; bits past size() are zero.
  const std::vector<std::uint64_t>& words() const { return words_; }
  /// InputError (naming `origin`) if `words` does not fit `size`.
  static DoneSet from_words(std::uint64_t size, std::vector<std::uint64_t> words,
                            const std::string& origin);
  friend bool operator==(const DoneSet&, const DoneSet&) = default;

 private:
  std::uint64_t size_ = 0;
  std::vector<std::uint64_t> words_;
};

/// What a checkpoint belongs to. A resume must match on all of it (or be forced).
struct CheckpointIdentity {
  std::string program_version;
  std::string git_sha;
  std::uint64_t config_hash = 0;  ///< hash_text of the result-affecting configuration
  std::uint64_t design_hash = 0;  ///< hash_doubles of the design points
  std::uint64_t n_units = 0;      ///< number of tasks or chunks the done set ranges over
  friend bool operator==(const CheckpointIdentity&, const CheckpointIdentity&) = default;
};

/// This build's version and git sha with the given hashes.
CheckpointIdentity current_identity(std::uint64_t config_hash, std::uint64_t design_hash,
                                    std::uint64_t n_units);

struct CheckpointBlob {
  std::string name;
  std::vector<std::byte> data;
  friend bool operator==(const CheckpointBlob&, const CheckpointBlob&) = default;
};

struct Checkpoint {
  CheckpointIdentity identity;
  std::uint64_t sequence = 0;  ///< 1 for a job's first checkpoint, +1 for each later one
  std::int64_t created_unix_s = 0;
  DoneSet done;                       ///< size must equal identity.n_units
  std::vector<CheckpointBlob> blobs;  ///< names unique, at most kMaxBlobNameBytes each

  /// The blob called `name`, or null.
  const CheckpointBlob* find(std::string_view name) const;
  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

inline constexpr std::size_t kMaxStringBytes = 4096;  ///< version, sha and blob names

/// The file image of `c`. RuntimeError if the done set does not match n_units, names
/// repeat or strings are too long (bugs in the caller, not user input).
std::vector<std::byte> encode_checkpoint(const Checkpoint& c);

/// Parses and validates a file image: magic, format version, declared size (truncation),
/// CRC-32C, then every field against the bytes left. InputError "<origin>: <reason>".
Checkpoint decode_checkpoint(std::span<const std::byte> image, const std::string& origin);

/// Durable atomic write (temporary + fsync + rename + directory fsync): a failure or a
/// crash leaves the previous checkpoint at `path` valid. RuntimeError on I/O failure.
void write_checkpoint(const std::string& path, const Checkpoint& c);

/// Reads and validates `path`; InputError naming the file and the reason.
Checkpoint read_checkpoint(const std::string& path);

/// Compares a checkpoint with the run about to resume. A different unit count can never
/// be applied (InputError even with `force`). Other differences (program version, git
/// sha, configuration, design) throw an InputError listing them unless `force`; with
/// `force` they are returned, for the caller to print as warnings.
std::vector<std::string> check_resumable(const Checkpoint& c, const CheckpointIdentity& expected,
                                         const std::string& origin, bool force);

}  // namespace icn::exec
