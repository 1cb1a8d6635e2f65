#include "icn/exec/checkpoint.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "icn/core/error.h"
#include "icn/core/version.h"
#include "icn/io/atomic_file.h"

namespace icn::exec {
namespace {

namespace fs = std::filesystem;

std::span<const std::byte> bytes_of(std::string_view s) {
  return std::as_bytes(std::span<const char>(s.data(), s.size()));
}

std::vector<std::byte> blob_bytes(std::string_view s) {
  const auto b = bytes_of(s);
  return {b.begin(), b.end()};
}

TEST(Checksums, Crc32cKnownAnswers) {
  // RFC 3720 (iSCSI) B.4 and the common "123456789" check value.
  EXPECT_EQ(crc32c(bytes_of("123456789")), 0xE3069283U);
  EXPECT_EQ(crc32c(std::vector<std::byte>(32, std::byte{0})), 0x8A9136AAU);
  EXPECT_EQ(crc32c(std::vector<std::byte>(32, std::byte{0xFF})), 0x62A8AB43U);
  std::vector<std::byte> inc(32);
  for (int i = 0; i < 32; ++i) inc[i] = static_cast<std::byte>(i);
  EXPECT_EQ(crc32c(inc), 0x46DD794EU);
  EXPECT_EQ(crc32c({}), 0U);
  // Continuation equals one pass.
  EXPECT_EQ(crc32c(bytes_of("6789"), crc32c(bytes_of("12345"))), 0xE3069283U);
}

TEST(Checksums, Fnv1aKnownAnswers) {
  EXPECT_EQ(hash_text(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(hash_text("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(hash_text("foobar"), 0x85944171f73967e8ULL);
  EXPECT_NE(hash_doubles(std::vector<double>{0.0}), hash_doubles(std::vector<double>{-0.0}));
  EXPECT_NE(hash_doubles(std::vector<double>{1.0, 2.0}),
            hash_doubles(std::vector<double>{2.0, 1.0}));
  // 1.0 = 0x3FF0000000000000, hashed as its little-endian bytes.
  const std::array<std::byte, 8> one{std::byte{0}, std::byte{0}, std::byte{0},    std::byte{0},
                                     std::byte{0}, std::byte{0}, std::byte{0xF0}, std::byte{0x3F}};
  EXPECT_EQ(hash_doubles(std::vector<double>{1.0}), fnv1a64(one));
}

TEST(DoneSet, SetTestCountAndCanonicalWords) {
  DoneSet d(130);
  EXPECT_EQ(d.words().size(), 3U);
  d.set(0);
  d.set(64);
  d.set(129);
  d.set(129);
  EXPECT_TRUE(d.test(0));
  EXPECT_FALSE(d.test(1));
  EXPECT_TRUE(d.test(129));
  EXPECT_FALSE(d.test(130));  // out of range: not done
  EXPECT_EQ(d.count(), 3U);
  EXPECT_EQ(d.words()[1], 1U);
  EXPECT_EQ(d.words()[2], 2U);
  EXPECT_THROW(d.set(130), RuntimeError);
  EXPECT_EQ(DoneSet::from_words(130, d.words(), "x"), d);
  EXPECT_THROW(DoneSet::from_words(130, {0, 0, 4}, "x"), InputError);  // bit 130
  EXPECT_THROW(DoneSet::from_words(130, {0, 0}, "x"), InputError);
  EXPECT_EQ(DoneSet(0).words().size(), 0U);
  EXPECT_EQ(DoneSet(64).words().size(), 1U);
}

Checkpoint sample() {
  Checkpoint c;
  c.identity = current_identity(hash_text("[run]\nseed = 1\n"),
                                hash_doubles(std::vector<double>{0.5, 0.25}), 70);
  c.sequence = 3;
  c.created_unix_s = 1'700'000'123;
  c.done = DoneSet(70);
  for (std::uint64_t i : {0, 5, 63, 64, 69}) c.done.set(i);
  c.blobs.push_back({"aggregates", blob_bytes("accumulator bytes")});
  c.blobs.push_back({"runs", blob_bytes("")});
  c.blobs.push_back({"x", blob_bytes(std::string(3, '\0'))});
  return c;
}

std::string error_of(std::span<const std::byte> image) {
  try {
    decode_checkpoint(image, "ck.bin");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Checkpoint, RoundTripsExactly) {
  const Checkpoint c = sample();
  const auto image = encode_checkpoint(c);
  const Checkpoint back = decode_checkpoint(image, "mem");
  EXPECT_EQ(back, c);
  EXPECT_EQ(back.identity.program_version, build::kVersion);
  EXPECT_EQ(back.identity.git_sha, build::kGitSha);
  ASSERT_NE(back.find("aggregates"), nullptr);
  EXPECT_EQ(back.find("aggregates")->data, blob_bytes("accumulator bytes"));
  EXPECT_EQ(back.find("nope"), nullptr);
  EXPECT_EQ(encode_checkpoint(back), image);  // canonical
}

TEST(Checkpoint, ImageStartsWithMagicVersionAndSize) {
  const auto image = encode_checkpoint(sample());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(image.data()), 8), "ICNCKPT\n");
  EXPECT_EQ(std::to_integer<int>(image[8]), 1);  // format version 1, little-endian
  std::uint64_t size = 0;
  for (int i = 0; i < 8; ++i) size |= std::to_integer<std::uint64_t>(image[12 + i]) << (8 * i);
  EXPECT_EQ(size, image.size());
}

TEST(Checkpoint, EmptyCheckpointRoundTrips) {
  Checkpoint c;
  c.identity = current_identity(1, 2, 0);
  const auto back = decode_checkpoint(encode_checkpoint(c), "mem");
  EXPECT_EQ(back, c);
}

TEST(Checkpoint, EncodingRejectsInconsistentInput) {
  Checkpoint c = sample();
  c.done = DoneSet(69);
  EXPECT_THROW(encode_checkpoint(c), RuntimeError);
  c = sample();
  c.blobs.push_back({"runs", {}});
  EXPECT_THROW(encode_checkpoint(c), RuntimeError);
  c = sample();
  c.blobs[0].name = std::string(kMaxStringBytes + 1, 'n');
  EXPECT_THROW(encode_checkpoint(c), RuntimeError);
}

TEST(Checkpoint, EverySingleByteCorruptionIsRefused) {
  const auto image = encode_checkpoint(sample());
  for (std::size_t at = 0; at < image.size(); ++at) {
    for (const int flip : {0x01, 0x80, 0xFF}) {
      auto bad = image;
      bad[at] ^= static_cast<std::byte>(flip);
      const std::string msg = error_of(bad);
      ASSERT_NE(msg, "") << "byte " << at << " ^ " << flip << " not detected";
      ASSERT_EQ(msg.rfind("ck.bin: ", 0), 0U) << msg;
    }
  }
}

TEST(Checkpoint, EveryTruncationIsRefused) {
  const auto image = encode_checkpoint(sample());
  for (std::size_t len = 0; len < image.size(); ++len) {
    const std::string msg = error_of(std::span(image).first(len));
    ASSERT_NE(msg, "") << "truncation to " << len << " bytes not detected";
    if (len >= 8) {
      ASSERT_NE(msg.find("truncated"), std::string::npos) << len << ": " << msg;
    }
  }
  auto longer = image;
  longer.push_back(std::byte{0});
  EXPECT_NE(error_of(longer), "");
}

TEST(Checkpoint, MessagesNameTheReason) {
  auto image = encode_checkpoint(sample());
  auto bad = image;
  bad[0] = std::byte{'X'};
  EXPECT_NE(error_of(bad).find("not an icnsim checkpoint"), std::string::npos);
  bad = image;
  bad[8] = std::byte{2};
  EXPECT_NE(error_of(bad).find("format version 2; this icnsim reads version 1"), std::string::npos);
  bad = image;
  bad[40] ^= std::byte{4};
  EXPECT_NE(error_of(bad).find("checksum mismatch"), std::string::npos);
  EXPECT_NE(error_of(bytes_of("[run]\nmodel = 'x'\n")).find("not an icnsim checkpoint"),
            std::string::npos);
}

/// Re-seals an edited image (size field and CRC), as a forger or the fuzzer would, so the
/// structural checks behind the checksum are exercised too.
std::vector<std::byte> reseal(std::vector<std::byte> image) {
  for (int i = 0; i < 8; ++i) image[12 + i] = static_cast<std::byte>(image.size() >> (8 * i));
  const auto crc = crc32c(std::span(image).first(image.size() - 4));
  for (int i = 0; i < 4; ++i) image[image.size() - 4 + i] = static_cast<std::byte>(crc >> (8 * i));
  return image;
}

TEST(Checkpoint, StructuralChecksBehindTheChecksum) {
  Checkpoint c;
  c.identity = current_identity(1, 2, 10);
  c.done = DoneSet(10);
  const auto image = encode_checkpoint(c);
  // Offsets: 36 = program version length; n_units follows the two strings and two hashes.
  const std::size_t n_units_at =
      36 + 4 + c.identity.program_version.size() + 4 + c.identity.git_sha.size() + 16;
  auto bad = image;
  bad[n_units_at + 7] = std::byte{0x7F};  // ~2^62 units: must not allocate
  EXPECT_NE(error_of(reseal(bad)).find("exceeds the file"), std::string::npos)
      << error_of(reseal(bad));
  bad = image;
  bad[n_units_at + 9] = std::byte{0xFF};  // units 8..15: bits past unit 10
  EXPECT_NE(error_of(reseal(bad)).find("past its end"), std::string::npos) << error_of(reseal(bad));
  bad = image;
  bad[36] = std::byte{0xFF};
  bad[37] = std::byte{0xFF};  // a 65535-byte version string
  EXPECT_NE(error_of(reseal(bad)).find("program version is"), std::string::npos);
  bad = image;
  bad.insert(bad.end() - 4, std::byte{0});
  EXPECT_NE(error_of(reseal(bad)).find("unexpected bytes"), std::string::npos)
      << error_of(reseal(bad));
  bad = image;
  bad[bad.size() - 8] = std::byte{0xFF};  // blob count 255 with no bytes left
  EXPECT_NE(error_of(reseal(bad)).find("blobs exceed the file"), std::string::npos)
      << error_of(reseal(bad));
}

TEST(Checkpoint, ResumableOnlyWhenTheIdentityMatches) {
  const Checkpoint c = sample();
  const CheckpointIdentity same = c.identity;
  EXPECT_TRUE(check_resumable(c, same, "ck", false).empty());

  auto other_config = same;
  other_config.config_hash ^= 1;
  try {
    check_resumable(c, other_config, "ck", false);
    FAIL() << "config mismatch accepted";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("ck: checkpoint does not match this run"), std::string::npos) << msg;
    EXPECT_NE(msg.find("another configuration"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--force"), std::string::npos) << msg;
  }
  auto other_design = same;
  other_design.design_hash ^= 1;
  EXPECT_THROW(check_resumable(c, other_design, "ck", false), InputError);
  auto other_version = same;
  other_version.git_sha = "0000000";
  EXPECT_THROW(check_resumable(c, other_version, "ck", false), InputError);

  // --force: accepted, differences returned for warnings.
  auto all = same;
  all.config_hash ^= 1;
  all.design_hash ^= 1;
  all.program_version = "9.9.9";
  const auto diffs = check_resumable(c, all, "ck", true);
  ASSERT_EQ(diffs.size(), 3U);
  EXPECT_NE(diffs[0].find("9.9.9"), std::string::npos);

  // A different number of units can never be applied.
  auto other_size = same;
  other_size.n_units = 71;
  EXPECT_THROW(check_resumable(c, other_size, "ck", true), InputError);
}

TEST(Checkpoint, FileRoundTripAndRefusalOfDamagedFiles) {
  std::string templ = (fs::temp_directory_path() / "icn_ckpt_XXXXXX").string();
  ASSERT_NE(::mkdtemp(templ.data()), nullptr);
  const fs::path dir = templ;
  const std::string path = (dir / "sweep.ckpt").string();
  const Checkpoint c = sample();
  write_checkpoint(path, c);
  EXPECT_EQ(read_checkpoint(path), c);

  auto image = io::read_file_bytes(path);
  image.resize(image.size() / 2);
  io::write_file_atomic(path, image);
  try {
    read_checkpoint(path);
    FAIL() << "truncated file accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path + ": truncated checkpoint", 0), 0U) << e.what();
  }
  EXPECT_THROW(read_checkpoint((dir / "missing").string()), InputError);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace icn::exec
