#include "icn/io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>  // rename
#include <cstring>
#include <filesystem>

#include "icn/core/error.h"

namespace icn::io {

namespace {

[[noreturn]] void fail(const std::string& path, const char* step, int err) {
  throw RuntimeError(path + ": cannot " + step + ": " + std::strerror(err));
}

/// Owns a POSIX descriptor; close errors matter (NFS reports write errors there), so the
/// happy path closes explicitly and the destructor only cleans up after a failure.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

/// Removes the temporary unless released; keeps failures from leaving litter behind.
class TempGuard {
 public:
  explicit TempGuard(std::string path) : path_(std::move(path)) {}
  ~TempGuard() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempGuard(const TempGuard&) = delete;
  TempGuard& operator=(const TempGuard&) = delete;
  void release() { path_.clear(); }

 private:
  std::string path_;
};

void write_all(int fd, std::span<const std::byte> data, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(path, "write", errno);
    }
    done += static_cast<std::size_t>(n);
  }
}

std::string parent_directory(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

void fsync_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) fail(path, "open for fsync", errno);
  if (::fsync(fd.get()) != 0) fail(path, "fsync", errno);
}

void rename_over(const std::string& tmp, const std::string& path) {
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    throw RuntimeError(tmp + ": cannot rename to " + path + ": " + std::strerror(err));
  }
}

}  // namespace

std::string temp_path_for(const std::string& path) {
  return path + ".tmp." + std::to_string(static_cast<long long>(::getpid()));
}

void sync_parent_directory(const std::string& path) {
  const std::string dir = parent_directory(path);
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) fail(dir, "open directory for fsync", errno);
  if (::fsync(fd.get()) != 0 && errno != EINVAL) fail(dir, "fsync directory", errno);
}

void write_file_atomic(const std::string& path, std::span<const std::byte> data) {
  const std::string tmp = temp_path_for(path);
  // O_TRUNC, not O_EXCL: a temporary left by a killed process whose pid we now reuse is
  // garbage and may be overwritten.
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
  if (fd.get() < 0) fail(tmp, "create", errno);
  TempGuard guard(tmp);
  write_all(fd.get(), data, tmp);
  if (::fsync(fd.get()) != 0) fail(tmp, "fsync", errno);
  if (fd.close() != 0) fail(tmp, "close", errno);
  rename_over(tmp, path);
  guard.release();
  sync_parent_directory(path);
}

void write_file_atomic(const std::string& path, std::string_view text) {
  write_file_atomic(path, std::as_bytes(std::span<const char>(text.data(), text.size())));
}

void commit_temp_file(const std::string& tmp, const std::string& path) {
  TempGuard guard(tmp);
  fsync_file(tmp);
  rename_over(tmp, path);
  guard.release();
  sync_parent_directory(path);
}

std::vector<std::byte> read_file_bytes(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw InputError(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    throw InputError(path + ": cannot stat: " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw InputError(path + ": not a regular file");
  std::vector<std::byte> out(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  // Read until EOF rather than trusting st_size alone: the file may be shorter by now.
  while (true) {
    if (done == out.size()) out.resize(out.size() + 4096);
    const ssize_t n = ::read(fd.get(), out.data() + done, out.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw InputError(path + ": cannot read: " + std::strerror(errno));
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  out.resize(done);
  return out;
}

}  // namespace icn::io
