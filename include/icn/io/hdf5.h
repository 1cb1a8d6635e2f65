#pragma once
// A small RAII layer over the HDF5 C API: every call is checked and a failure becomes a
// RuntimeError saying what was being done to which object of which file; handles are
// closed in noexcept destructors. Only io/ includes hdf5.h.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace icn::io::h5 {

using hid = std::int64_t;  // hid_t without including hdf5.h

/// Owns one HDF5 identifier.
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid id) : id_(id) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : id_(o.id_) { o.id_ = -1; }
  Handle& operator=(Handle&& o) noexcept;
  ~Handle();
  hid id() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  hid id_ = -1;
};

/// Options of a dataset written at once.
struct WriteOptions {
  bool compress = true;  ///< chunked + deflate(4) + shuffle when the dataset is large enough
};

/// A group (or the file's root group): create children, write and read data.
class Group {
 public:
  Group(Handle h, std::string path, std::string file)
      : h_(std::move(h)), path_(std::move(path)), file_(std::move(file)) {}
  Group create_group(const std::string& name) const;
  Group open_group(const std::string& name) const;
  Group require_group(const std::string& name) const;
  bool exists(const std::string& name) const;
  std::vector<std::string> children() const;

  void write(const std::string& name, std::span<const double> data, std::vector<std::uint64_t> dims,
             WriteOptions opt = {}) const;
  void write(const std::string& name, std::span<const std::int64_t> data,
             std::vector<std::uint64_t> dims, WriteOptions opt = {}) const;
  void write_strings(const std::string& name, const std::vector<std::string>& data) const;

  std::vector<double> read_doubles(const std::string& name,
                                   std::vector<std::uint64_t>* dims = nullptr) const;
  std::vector<std::int64_t> read_ints(const std::string& name,
                                      std::vector<std::uint64_t>* dims = nullptr) const;
  std::vector<std::string> read_strings(const std::string& name) const;

  void set_attr(const std::string& name, const std::string& value) const;
  void set_attr(const std::string& name, std::int64_t value) const;
  void set_attr(const std::string& name, double value) const;
  std::string attr_string(const std::string& name) const;
  std::int64_t attr_int(const std::string& name) const;
  double attr_double(const std::string& name) const;
  bool has_attr(const std::string& name) const;

  const std::string& path() const { return path_; }
  hid id() const { return h_.id(); }

 private:
  std::string describe(const std::string& child) const;
  Handle h_;
  std::string path_;
  std::string file_;
};

/// An HDF5 file opened by one process.
class File {
 public:
  /// Creates `path`, failing if it exists unless `overwrite`.
  static File create(const std::string& path, bool overwrite);
  static File open_read(const std::string& path);
  static File open_rw(const std::string& path);
  Group root() const;
  void flush() const;
  const std::string& path() const { return path_; }

 private:
  File(Handle h, std::string path) : h_(std::move(h)), path_(std::move(path)) {}
  Handle h_;
  std::string path_;
};

/// HDF5 library version "1.10.8".
std::string library_version();

}  // namespace icn::io::h5
