#include "icn/io/hdf5.h"

#include <hdf5.h>

#include <algorithm>

#include "icn/core/error.h"

namespace icn::io::h5 {
namespace {

// HDF5 prints its error stack to stderr by default; we turn that off once and report
// the innermost message ourselves instead.
struct SilenceHdf5 {
  SilenceHdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }
};
const SilenceHdf5 silence_once;

herr_t take_innermost(unsigned n, const H5E_error2_t* e, void* out) {
  if (n == 0 && e->desc) *static_cast<std::string*>(out) = e->desc;
  return 0;
}

[[noreturn]] void fail(const std::string& what) {
  std::string detail;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, take_innermost, &detail);
  H5Eclear2(H5E_DEFAULT);
  throw RuntimeError("HDF5: " + what + (detail.empty() ? "" : ": " + detail));
}

hid_t check(hid_t id, const std::string& what) {
  if (id < 0) fail(what);
  return id;
}

void check_status(herr_t rc, const std::string& what) {
  if (rc < 0) fail(what);
}

using Closer = herr_t (*)(hid_t);

Closer closer_for(hid_t id) {
  switch (H5Iget_type(id)) {
    case H5I_FILE: return H5Fclose;
    case H5I_GROUP: return H5Gclose;
    case H5I_DATASET: return H5Dclose;
    case H5I_DATASPACE: return H5Sclose;
    case H5I_DATATYPE: return H5Tclose;
    case H5I_ATTR: return H5Aclose;
    case H5I_GENPROP_LST: return H5Pclose;
    default: return nullptr;
  }
}

Handle make(hid_t id, const std::string& what) { return Handle(check(id, what)); }

std::vector<hsize_t> to_hsize(const std::vector<std::uint64_t>& dims) {
  return {dims.begin(), dims.end()};
}

Handle dataset_create_plist(const std::vector<std::uint64_t>& dims, std::size_t elem,
                            WriteOptions opt, const std::string& what) {
  Handle plist = make(H5Pcreate(H5P_DATASET_CREATE), what);
  std::uint64_t total = 1;
  for (auto d : dims) total *= d;
  if (!opt.compress || total * elem < 4096 || total == 0) return plist;
  // Chunks of about 64 KiB along the leading dimension keep row reads cheap.
  std::vector<hsize_t> chunk = to_hsize(dims);
  std::uint64_t row = elem;
  for (std::size_t i = 1; i < dims.size(); ++i) row *= std::max<std::uint64_t>(dims[i], 1);
  chunk[0] = std::clamp<std::uint64_t>(65536 / std::max<std::uint64_t>(row, 1), 1, dims[0]);
  for (std::size_t i = 1; i < chunk.size(); ++i) {
    if (row > 1u << 20) chunk[i] = std::max<hsize_t>(1, chunk[i] / 16);  // very wide rows
  }
  check_status(H5Pset_chunk(plist.id(), static_cast<int>(chunk.size()), chunk.data()), what);
  check_status(H5Pset_shuffle(plist.id()), what);
  check_status(H5Pset_deflate(plist.id(), 4), what);
  return plist;
}

template <class T>
void write_array(const Group& g, hid_t mem_type, hid_t file_type, const std::string& name,
                 std::span<const T> data, const std::vector<std::uint64_t>& dims, WriteOptions opt,
                 const std::string& what) {
  std::uint64_t total = 1;
  for (auto d : dims) total *= d;
  if (total != data.size())
    throw RuntimeError("internal: " + what + ": dims do not match the data size");
  const auto hd = to_hsize(dims);
  Handle space = make(H5Screate_simple(static_cast<int>(hd.size()), hd.data(), nullptr), what);
  Handle plist = dataset_create_plist(dims, sizeof(T), opt, what);
  Handle ds = make(
      H5Dcreate2(g.id(), name.c_str(), file_type, space.id(), H5P_DEFAULT, plist.id(), H5P_DEFAULT),
      what);
  if (total > 0)
    check_status(H5Dwrite(ds.id(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), what);
}

template <class T>
std::vector<T> read_array(const Group& g, hid_t mem_type, const std::string& name,
                          std::vector<std::uint64_t>* dims, const std::string& what) {
  Handle ds = make(H5Dopen2(g.id(), name.c_str(), H5P_DEFAULT), what);
  Handle space = make(H5Dget_space(ds.id()), what);
  const int rank = H5Sget_simple_extent_ndims(space.id());
  if (rank < 0) fail(what);
  std::vector<hsize_t> hd(static_cast<std::size_t>(rank));
  check_status(H5Sget_simple_extent_dims(space.id(), hd.data(), nullptr), what);
  std::uint64_t total = 1;
  for (auto d : hd) total *= d;
  if (total > (std::uint64_t{1} << 34)) throw RuntimeError("HDF5: " + what + ": implausible size");
  std::vector<T> out(total);
  if (total > 0)
    check_status(H5Dread(ds.id(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), what);
  if (dims) dims->assign(hd.begin(), hd.end());
  return out;
}

Handle string_type(const std::string& what) {
  Handle t = make(H5Tcopy(H5T_C_S1), what);
  check_status(H5Tset_size(t.id(), H5T_VARIABLE), what);
  check_status(H5Tset_cset(t.id(), H5T_CSET_UTF8), what);
  return t;
}

template <class T>
void write_scalar_attr(const Group& g, hid_t type, const std::string& name, const T& value,
                       const std::string& what) {
  if (H5Aexists(g.id(), name.c_str()) > 0) check_status(H5Adelete(g.id(), name.c_str()), what);
  Handle space = make(H5Screate(H5S_SCALAR), what);
  Handle a =
      make(H5Acreate2(g.id(), name.c_str(), type, space.id(), H5P_DEFAULT, H5P_DEFAULT), what);
  check_status(H5Awrite(a.id(), type, &value), what);
}

}  // namespace

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    Handle tmp(std::move(*this));
    id_ = o.id_;
    o.id_ = -1;
  }
  return *this;
}

Handle::~Handle() {
  if (id_ < 0) return;
  if (Closer c = closer_for(id_)) c(id_);
}

std::string Group::describe(const std::string& child) const {
  std::string p = path_ == "/" ? "/" + child : path_ + "/" + child;
  return "'" + p + "' in " + file_;
}

Group Group::create_group(const std::string& name) const {
  const std::string what = "creating group " + describe(name);
  Handle g = make(H5Gcreate2(h_.id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), what);
  return Group(std::move(g), path_ == "/" ? "/" + name : path_ + "/" + name, file_);
}

Group Group::open_group(const std::string& name) const {
  const std::string what = "opening group " + describe(name);
  Handle g = make(H5Gopen2(h_.id(), name.c_str(), H5P_DEFAULT), what);
  return Group(std::move(g), path_ == "/" ? "/" + name : path_ + "/" + name, file_);
}

Group Group::require_group(const std::string& name) const {
  return exists(name) ? open_group(name) : create_group(name);
}

bool Group::exists(const std::string& name) const {
  const htri_t r = H5Lexists(h_.id(), name.c_str(), H5P_DEFAULT);
  if (r < 0) fail("checking " + describe(name));
  return r > 0;
}

namespace {
herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* out) {
  static_cast<std::vector<std::string>*>(out)->emplace_back(name);
  return 0;
}
}  // namespace

std::vector<std::string> Group::children() const {
  std::vector<std::string> out;
  hsize_t idx = 0;
  check_status(H5Literate(h_.id(), H5_INDEX_NAME, H5_ITER_INC, &idx, collect_name, &out),
               "listing " + describe(""));
  return out;
}

void Group::write(const std::string& name, std::span<const double> data,
                  std::vector<std::uint64_t> dims, WriteOptions opt) const {
  write_array(*this, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, name, data, dims, opt,
              "writing " + describe(name));
}

void Group::write(const std::string& name, std::span<const std::int64_t> data,
                  std::vector<std::uint64_t> dims, WriteOptions opt) const {
  write_array(*this, H5T_NATIVE_INT64, H5T_STD_I64LE, name, data, dims, opt,
              "writing " + describe(name));
}

void Group::write_strings(const std::string& name, const std::vector<std::string>& data) const {
  const std::string what = "writing " + describe(name);
  std::vector<const char*> ptrs;
  for (const auto& s : data) ptrs.push_back(s.c_str());
  Handle type = string_type(what);
  const hsize_t n = data.size();
  Handle space = make(H5Screate_simple(1, &n, nullptr), what);
  Handle ds = make(H5Dcreate2(h_.id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT,
                              H5P_DEFAULT, H5P_DEFAULT),
                   what);
  if (n > 0)
    check_status(H5Dwrite(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), what);
}

std::vector<double> Group::read_doubles(const std::string& name,
                                        std::vector<std::uint64_t>* dims) const {
  return read_array<double>(*this, H5T_NATIVE_DOUBLE, name, dims, "reading " + describe(name));
}

std::vector<std::int64_t> Group::read_ints(const std::string& name,
                                           std::vector<std::uint64_t>* dims) const {
  return read_array<std::int64_t>(*this, H5T_NATIVE_INT64, name, dims, "reading " + describe(name));
}

std::vector<std::string> Group::read_strings(const std::string& name) const {
  const std::string what = "reading " + describe(name);
  Handle ds = make(H5Dopen2(h_.id(), name.c_str(), H5P_DEFAULT), what);
  Handle space = make(H5Dget_space(ds.id()), what);
  if (H5Sget_simple_extent_ndims(space.id()) != 1)
    throw RuntimeError("HDF5: " + what + ": not a 1-D string dataset");
  hsize_t n = 0;
  check_status(H5Sget_simple_extent_dims(space.id(), &n, nullptr), what);
  Handle ftype = make(H5Dget_type(ds.id()), what);
  if (H5Tget_class(ftype.id()) != H5T_STRING || H5Tis_variable_str(ftype.id()) <= 0) {
    throw RuntimeError("HDF5: " + what + ": not a variable-length string dataset");
  }
  Handle type = string_type(what);
  std::vector<char*> ptrs(n, nullptr);
  if (n > 0)
    check_status(H5Dread(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), what);
  std::vector<std::string> out;
  out.reserve(n);
  for (char* p : ptrs) out.emplace_back(p ? p : "");
  if (n > 0) H5Dvlen_reclaim(type.id(), space.id(), H5P_DEFAULT, ptrs.data());
  return out;
}

void Group::set_attr(const std::string& name, const std::string& value) const {
  const std::string what = "writing attribute '" + name + "' of " + describe("");
  Handle type = string_type(what);
  const char* p = value.c_str();
  write_scalar_attr(*this, type.id(), name, p, what);
}

void Group::set_attr(const std::string& name, std::int64_t value) const {
  write_scalar_attr(*this, H5T_NATIVE_INT64, name, value,
                    "writing attribute '" + name + "' of " + describe(""));
}

void Group::set_attr(const std::string& name, double value) const {
  write_scalar_attr(*this, H5T_NATIVE_DOUBLE, name, value,
                    "writing attribute '" + name + "' of " + describe(""));
}

bool Group::has_attr(const std::string& name) const {
  const htri_t r = H5Aexists(h_.id(), name.c_str());
  if (r < 0) fail("checking attribute '" + name + "' of " + describe(""));
  return r > 0;
}

std::string Group::attr_string(const std::string& name) const {
  const std::string what = "reading attribute '" + name + "' of " + describe("");
  Handle a = make(H5Aopen(h_.id(), name.c_str(), H5P_DEFAULT), what);
  Handle ftype = make(H5Aget_type(a.id()), what);
  if (H5Tget_class(ftype.id()) != H5T_STRING || H5Tis_variable_str(ftype.id()) <= 0) {
    throw RuntimeError("HDF5: " + what + ": not a variable-length string");
  }
  Handle type = string_type(what);
  char* p = nullptr;
  check_status(H5Aread(a.id(), type.id(), &p), what);
  std::string out = p ? p : "";
  H5free_memory(p);
  return out;
}

std::int64_t Group::attr_int(const std::string& name) const {
  const std::string what = "reading attribute '" + name + "' of " + describe("");
  Handle a = make(H5Aopen(h_.id(), name.c_str(), H5P_DEFAULT), what);
  std::int64_t v = 0;
  check_status(H5Aread(a.id(), H5T_NATIVE_INT64, &v), what);
  return v;
}

double Group::attr_double(const std::string& name) const {
  const std::string what = "reading attribute '" + name + "' of " + describe("");
  Handle a = make(H5Aopen(h_.id(), name.c_str(), H5P_DEFAULT), what);
  double v = 0;
  check_status(H5Aread(a.id(), H5T_NATIVE_DOUBLE, &v), what);
  return v;
}

File File::create(const std::string& path, bool overwrite) {
  const unsigned flags = overwrite ? H5F_ACC_TRUNC : H5F_ACC_EXCL;
  return File(
      make(H5Fcreate(path.c_str(), flags, H5P_DEFAULT, H5P_DEFAULT), "creating file " + path),
      path);
}

File File::open_read(const std::string& path) {
  return File(make(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "opening file " + path),
              path);
}

File File::open_rw(const std::string& path) {
  return File(make(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT),
                   "opening file " + path + " for writing"),
              path);
}

Group File::root() const {
  return Group(make(H5Gopen2(h_.id(), "/", H5P_DEFAULT), "opening / in " + path_), "/", path_);
}

void File::flush() const { check_status(H5Fflush(h_.id(), H5F_SCOPE_GLOBAL), "flushing " + path_); }

std::string library_version() {
  unsigned maj = 0, min = 0, rel = 0;
  H5get_libversion(&maj, &min, &rel);
  return std::to_string(maj) + "." + std::to_string(min) + "." + std::to_string(rel);
}

}  // namespace icn::io::h5
