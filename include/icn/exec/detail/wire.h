#pragma once
// Flat encoding of message payloads between ranks of one job (same binary, same
// architecture): values are copied byte for byte, so doubles cross ranks bit-exactly.
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "icn/core/error.h"
#include "icn/exec/comm.h"

namespace icn::exec::detail {

class Writer {
 public:
  template <class T>
  void put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto* p = reinterpret_cast<const std::byte*>(&v);
    out_.insert(out_.end(), p, p + sizeof(T));
  }
  /// A length-prefixed array.
  template <class T>
  void put_span(std::span<const T> v) {
    static_assert(std::is_trivially_copyable_v<T>);
    put<std::uint64_t>(v.size());
    const auto* p = reinterpret_cast<const std::byte*>(v.data());
    out_.insert(out_.end(), p, p + v.size_bytes());
  }
  void put_string(const std::string& s) { put_span(std::span<const char>(s.data(), s.size())); }
  Bytes take() { return std::move(out_); }

 private:
  Bytes out_;
};

class Reader {
 public:
  explicit Reader(std::span<const std::byte> in) : in_(in) {}
  template <class T>
  T get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T v;
    std::memcpy(&v, take(sizeof(T)), sizeof(T));
    return v;
  }
  template <class T>
  std::vector<T> get_vector() {
    const auto n = get<std::uint64_t>();
    if (n > (in_.size() - pos_) / sizeof(T)) fail();
    std::vector<T> v(static_cast<std::size_t>(n));
    if (n > 0) std::memcpy(v.data(), take(v.size() * sizeof(T)), v.size() * sizeof(T));
    return v;
  }
  std::string get_string() {
    const auto v = get_vector<char>();
    return {v.begin(), v.end()};
  }
  bool at_end() const { return pos_ == in_.size(); }
  /// Bytes read so far.
  std::size_t position() const { return pos_; }

 private:
  const std::byte* take(std::size_t n) {
    if (n > in_.size() - pos_) fail();
    const std::byte* p = in_.data() + pos_;
    pos_ += n;
    return p;
  }
  [[noreturn]] static void fail() {
    throw RuntimeError("internal: truncated message between ranks");
  }
  std::span<const std::byte> in_;
  std::size_t pos_ = 0;
};

}  // namespace icn::exec::detail
