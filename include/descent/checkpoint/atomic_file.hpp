#pragma once
/// Whole-file reads, and atomic writes: a temporary file in the target's directory, flushed and
/// fsynced, then renamed over the target, so an interrupted save leaves the old file intact.

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

#include "descent/checkpoint/error.hpp"

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#define DESCENT_CHECKPOINT_POSIX 1
#else
#define DESCENT_CHECKPOINT_POSIX 0
#endif

namespace descent::detail {

/// The whole content of the file at `path`; CheckpointError when it cannot be read.
inline std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CheckpointError("checkpoint \"" + path + "\": cannot open the file for reading");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw CheckpointError("checkpoint \"" + path + "\": read error");
  return bytes;
}

#if DESCENT_CHECKPOINT_POSIX

[[noreturn]] inline void throw_io(const std::string& path, const char* step, int error) {
  throw CheckpointError("checkpoint \"" + path + "\": " + step +
                        " failed: " + std::strerror(error));
}

/// Writes `bytes` to `path` atomically: PATH.tmp-XXXXXX next to it (mkstemp), write, fsync,
/// rename over `path`, then fsync the directory so the rename itself is durable. On failure
/// the temporary file is removed and `path` is as it was.
inline void write_file_atomically(const std::string& path, const std::string& bytes) {
  std::string temporary = path + ".tmp-XXXXXX";
  const int fd = ::mkstemp(&temporary[0]);
  if (fd < 0) throw_io(path, "creating a temporary file", errno);
  auto abandon = [&](const char* step) {
    const int error = errno;
    ::close(fd);
    ::unlink(temporary.c_str());
    throw_io(path, step, error);
  };
  // mkstemp creates the file 0600; a checkpoint gets the usual 0644 (owner writes, all read).
  if (::fchmod(fd, 0644) != 0) abandon("fchmod");
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      abandon("write");
    }
    written += std::size_t(n);
  }
  if (::fsync(fd) != 0) abandon("fsync");
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    throw_io(path, "close", error);
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    throw_io(path, "rename", error);
  }
  const std::string::size_type slash = path.find_last_of('/');
  const std::string directory = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const int dir = ::open(directory.c_str(), O_RDONLY);
  if (dir >= 0) {
    ::fsync(dir);  // best effort: some file systems refuse fsync on a directory
    ::close(dir);
  }
}

#else

/// Portable fallback (no fsync): write PATH.tmp-descent, flush, then replace `path`.
inline void write_file_atomically(const std::string& path, const std::string& bytes) {
  const std::string temporary = path + ".tmp-descent";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    out.flush();
    if (!out) {
      std::remove(temporary.c_str());
      throw CheckpointError("checkpoint \"" + path + "\": writing the temporary file failed");
    }
  }
  std::remove(path.c_str());  // std::rename does not replace an existing file everywhere
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    throw CheckpointError("checkpoint \"" + path + "\": rename failed");
  }
}

#endif

}  // namespace descent::detail
