#pragma once
// Durable, atomic replacement of files: after a crash, a kill -9 or a full disk, a reader
// finds either the previous complete file or the new complete file, never a mix.
//
// The recipe (POSIX): write a temporary `path.tmp.<pid>` in the same directory, fsync it,
// rename it over `path` (atomic within one file system), then fsync the directory so the
// rename itself is on disk. The pid keeps two processes (ranks) writing next to each other
// from sharing a temporary.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace icn::io {

/// The temporary name used for `path` by this process: "<path>.tmp.<pid>".
std::string temp_path_for(const std::string& path);

/// Replaces `path` with `data` atomically and durably. On failure (ENOSPC, EACCES, EROFS,
/// EDQUOT, EFBIG...) the temporary is removed, `path` keeps its previous content, and a
/// RuntimeError names the path, the step that failed and strerror.
void write_file_atomic(const std::string& path, std::span<const std::byte> data);
void write_file_atomic(const std::string& path, std::string_view text);

/// Makes a finished temporary file (written by another writer, e.g. HDF5 and closed) the
/// durable content of `path`: fsync `tmp`, rename it over `path`, fsync the directory.
/// On failure `tmp` is removed and RuntimeError is thrown; `path` is left as it was.
void commit_temp_file(const std::string& tmp, const std::string& path);

/// fsync of the directory holding `path`, so that a create or rename in it is durable.
/// File systems that cannot sync directories (EINVAL) are accepted silently.
void sync_parent_directory(const std::string& path);

/// The whole content of `path`. InputError naming the file when it cannot be opened or
/// read (a missing checkpoint is the user's input, not a runtime failure).
std::vector<std::byte> read_file_bytes(const std::string& path);

}  // namespace icn::io
