// Fuzz harness: the checkpoint reader.
//
// Each input is decoded twice: as it is (the envelope checks: magic, version, size,
// CRC-32C), and "resealed" with its size field and checksum recomputed, so that mutations
// reach the structural checks behind the checksum. Contract checked:
//   - decode_checkpoint either succeeds or throws icn::InputError; nothing else;
//   - a decoded checkpoint encodes back to exactly the bytes it was read from (the format
//     is canonical, so nothing the reader accepts is silently reinterpreted).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "icn/core/error.h"
#include "icn/exec/checkpoint.h"

namespace {

void check_image(std::span<const std::byte> image) {
  icn::exec::Checkpoint c;
  try {
    c = icn::exec::decode_checkpoint(image, "fuzz");
  } catch (const icn::InputError& e) {
    if (std::getenv("ICN_FUZZ_VERBOSE")) std::fprintf(stderr, "rejected: %s\n", e.what());
    return;
  }
  if (std::getenv("ICN_FUZZ_VERBOSE")) {
    std::fprintf(stderr, "accepted: %llu of %llu units done, %zu blobs\n",
                 static_cast<unsigned long long>(c.done.count()),
                 static_cast<unsigned long long>(c.identity.n_units), c.blobs.size());
  }
  const auto again = icn::exec::encode_checkpoint(c);
  if (again.size() != image.size() || !std::equal(again.begin(), again.end(), image.begin())) {
    icn::fuzz::bug("an accepted checkpoint does not encode back to the same bytes");
  }
}

std::vector<std::byte> reseal(std::span<const std::byte> in) {
  std::vector<std::byte> image(in.begin(), in.end());
  constexpr std::size_t kSizeOffset = 12;
  if (image.size() < kSizeOffset + 8 + 4) return image;
  for (std::size_t i = 0; i < 8; ++i)
    image[kSizeOffset + i] = static_cast<std::byte>(image.size() >> (8 * i));
  const std::uint32_t crc = icn::exec::crc32c(std::span(image).first(image.size() - 4));
  for (std::size_t i = 0; i < 4; ++i)
    image[image.size() - 4 + i] = static_cast<std::byte>(crc >> (8 * i));
  return image;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const auto input = std::as_bytes(std::span(data, size));
  if (std::getenv("ICN_FUZZ_CANARY") && size >= 15 &&
      std::string(reinterpret_cast<const char*>(data), size).find("ICN-FUZZ-CANARY") !=
          std::string::npos) {
    icn::fuzz::bug("canary input");
  }
  try {
    check_image(input);
    check_image(reseal(input));
  } catch (const std::exception& e) {
    icn::fuzz::bug(std::string("unexpected exception (not icn::InputError): ") + e.what());
  }
  return 0;
}
