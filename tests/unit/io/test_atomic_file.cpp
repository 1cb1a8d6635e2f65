#include "icn/io/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "icn/core/error.h"

namespace icn::io {
namespace {

namespace fs = std::filesystem;

/// A fresh directory per test (ctest runs tests in parallel processes).
class TempDir {
 public:
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "icn_atomic_XXXXXX").string();
    if (!::mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
    path_ = templ;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Files in `dir` other than `keep`: temporaries that a failure must not leave behind.
std::vector<std::string> others(const fs::path& dir, const std::string& keep) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename() != keep) out.push_back(e.path().filename().string());
  }
  return out;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const RuntimeError& e) {
    return e.what();
  }
  return "";
}

TEST(AtomicFile, WritesReplacesAndLeavesNoTemporary) {
  TempDir dir;
  const std::string path = dir.file("out.txt");
  write_file_atomic(path, std::string_view("first version"));
  EXPECT_EQ(slurp(path), "first version");
  write_file_atomic(path, std::string_view("second"));
  EXPECT_EQ(slurp(path), "second");
  EXPECT_TRUE(others(dir.path(), "out.txt").empty());
  const auto bytes = read_file_bytes(path);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()), "second");
}

TEST(AtomicFile, WritesEmptyAndBinaryContent) {
  TempDir dir;
  const std::string path = dir.file("bin");
  std::vector<std::byte> data(70000);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::byte>(i * 7 + 3);
  write_file_atomic(path, data);
  EXPECT_EQ(read_file_bytes(path), data);
  write_file_atomic(path, std::span<const std::byte>());
  EXPECT_TRUE(read_file_bytes(path).empty());
}

TEST(AtomicFile, TempPathHasThePid) {
  EXPECT_EQ(temp_path_for("/a/b.ckpt"), "/a/b.ckpt.tmp." + std::to_string(::getpid()));
}

TEST(AtomicFile, MissingDirectoryIsARuntimeErrorNamingThePathAndReason) {
  TempDir dir;
  const std::string path = dir.file("no/such/dir/out.txt");
  const std::string msg = error_of([&] { write_file_atomic(path, std::string_view("x")); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("No such file or directory"), std::string::npos) << msg;
}

TEST(AtomicFile, ParentThatIsAFileIsReported) {
  TempDir dir;
  write_file_atomic(dir.file("plain"), std::string_view("x"));
  const std::string msg =
      error_of([&] { write_file_atomic(dir.file("plain/out"), std::string_view("y")); });
  EXPECT_NE(msg.find("Not a directory"), std::string::npos) << msg;
}

TEST(AtomicFile, FailedRenameKeepsTheOldFileAndRemovesTheTemporary) {
  TempDir dir;
  // A non-empty directory cannot be replaced by rename(2): the last step fails.
  fs::create_directories(dir.path() / "target" / "inner");
  const std::string msg =
      error_of([&] { write_file_atomic(dir.file("target"), std::string_view("z")); });
  EXPECT_NE(msg.find("cannot rename"), std::string::npos) << msg;
  EXPECT_TRUE(fs::is_directory(dir.path() / "target" / "inner"));
  EXPECT_TRUE(others(dir.path(), "target").empty());
}

TEST(AtomicFile, FileSizeLimitMidWriteKeepsThePreviousFile) {
  TempDir dir;
  const std::string path = dir.file("ckpt");
  write_file_atomic(path, std::string_view("valid previous content"));
  // RLIMIT_FSIZE makes write(2) fail with EFBIG part-way, like a full disk, without
  // privileges; SIGXFSZ would kill us, so it is ignored for the test.
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = old;
  small.rlim_cur = 4096;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  const std::string big(100000, 'b');
  const std::string msg = error_of([&] { write_file_atomic(path, big); });
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_NE(msg.find("File too large"), std::string::npos) << msg;
  EXPECT_NE(msg.find(temp_path_for(path)), std::string::npos) << msg;
  EXPECT_EQ(slurp(path), "valid previous content");
  EXPECT_TRUE(others(dir.path(), "ckpt").empty());
}

/// A tiny tmpfs, when this process may mount (root, or CAP_SYS_ADMIN); unmounted after.
class TinyTmpfs {
 public:
  explicit TinyTmpfs(const fs::path& where) : where_(where) {
    fs::create_directories(where_);
    if (::mount("tmpfs", where_.c_str(), "tmpfs", 0, "size=64k") == 0) {
      mounted_ = true;
    } else {
      why_ = std::strerror(errno);
    }
  }
  ~TinyTmpfs() {
    if (mounted_) ::umount2(where_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& why() const { return why_; }
  bool remount_read_only() {
    return ::mount("tmpfs", where_.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, "size=64k") == 0;
  }

 private:
  fs::path where_;
  bool mounted_ = false;
  std::string why_;
};

TEST(AtomicFile, FullDiskIsReportedAndThePreviousFileStaysValid) {
  TempDir dir;
  TinyTmpfs disk(dir.path() / "disk");
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs to fill (" << disk.why() << ")";
  const std::string path = (dir.path() / "disk" / "ckpt").string();
  const std::string previous(20000, 'p');
  write_file_atomic(path, previous);
  const std::string msg = error_of([&] { write_file_atomic(path, std::string(60000, 'n')); });
  EXPECT_NE(msg.find("No space left on device"), std::string::npos) << msg;
  EXPECT_NE(msg.find(temp_path_for(path)), std::string::npos) << msg;
  EXPECT_EQ(slurp(path), previous);
  EXPECT_TRUE(others(dir.path() / "disk", "ckpt").empty());
  // Space was given back: a write that fits succeeds.
  write_file_atomic(path, std::string(30000, 'q'));
  EXPECT_EQ(slurp(path), std::string(30000, 'q'));
}

TEST(AtomicFile, ReadOnlyFileSystemIsReported) {
  TempDir dir;
  TinyTmpfs disk(dir.path() / "disk");
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs (" << disk.why() << ")";
  const std::string path = (dir.path() / "disk" / "ckpt").string();
  write_file_atomic(path, std::string_view("before"));
  if (!disk.remount_read_only()) GTEST_SKIP() << "cannot remount read-only";
  const std::string msg = error_of([&] { write_file_atomic(path, std::string_view("after")); });
  EXPECT_NE(msg.find("Read-only file system"), std::string::npos) << msg;
  EXPECT_EQ(slurp(path), "before");
}

TEST(AtomicFile, UnwritableDirectoryIsReported) {
  TempDir dir;
  fs::create_directories(dir.path() / "ro");
  fs::permissions(dir.path() / "ro", fs::perms::owner_read | fs::perms::owner_exec);
  const std::string path = dir.file("ro/out");
  // Root ignores permissions, so the check runs in a child that has dropped to "nobody".
  EXPECT_EXIT(
      {
        if (::geteuid() == 0 && ::setresuid(65534, 65534, 65534) != 0) std::_Exit(4);
        const std::string msg = error_of([&] { write_file_atomic(path, std::string_view("x")); });
        std::_Exit(msg.find("Permission denied") != std::string::npos &&
                           msg.find(path) != std::string::npos
                       ? 0
                       : 1);
      },
      ::testing::ExitedWithCode(0), "");
  fs::permissions(dir.path() / "ro", fs::perms::owner_all);
  EXPECT_FALSE(fs::exists(path));
}

TEST(AtomicFile, CommitTempFileRenamesIntoPlace) {
  TempDir dir;
  const std::string tmp = dir.file("r.h5.tmp");
  std::ofstream(tmp) << "payload";
  commit_temp_file(tmp, dir.file("r.h5"));
  EXPECT_EQ(slurp(dir.file("r.h5")), "payload");
  EXPECT_FALSE(fs::exists(tmp));
  const std::string msg =
      error_of([&] { commit_temp_file(dir.file("missing.tmp"), dir.file("x")); });
  EXPECT_NE(msg.find("missing.tmp"), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(dir.file("x")));
}

TEST(AtomicFile, ReadingAMissingFileIsAnInputError) {
  TempDir dir;
  const std::string path = dir.file("absent.ckpt");
  try {
    read_file_bytes(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("No such file"), std::string::npos);
  }
  try {
    read_file_bytes(dir.path().string());
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos);
  }
}

}  // namespace
}  // namespace icn::io
