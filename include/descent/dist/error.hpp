#pragma once
/// The distributed module's exceptions, and the check that turns an MPI return code into one.

#include <stdexcept>
#include <string>

#include <mpi.h>

namespace descent::dist {

/// An MPI call returned an error (only when the communicator's error handler returns errors
/// instead of aborting, which is not MPI's default). The message names the call and MPI's text.
class MpiError : public std::runtime_error {
 public:
  MpiError(const std::string& what, int code) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

/// The ranks registered different blocks (names, shapes, order or scalar type), or disagree on
/// a setting that must be the same everywhere. Thrown on every rank, with the same message.
class LayoutMismatch : public std::invalid_argument {
 public:
  explicit LayoutMismatch(const std::string& what) : std::invalid_argument(what) {}
};

/// The replicas' parameters or optimizer state differ between ranks (check_consistent).
/// Thrown on every rank, with the same message.
class ReplicaDivergence : public std::runtime_error {
 public:
  explicit ReplicaDivergence(const std::string& what) : std::runtime_error(what) {}
};

namespace detail {

/// Throws MpiError("<call>: <MPI's error string>") unless `code` is MPI_SUCCESS.
inline void check(int code, const char* call) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING] = {};
  int length = 0;
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS) length = 0;
  throw MpiError(
      std::string("descent::dist: ") + call + " failed: " + std::string(text, std::size_t(length)),
      code);
}

}  // namespace detail
}  // namespace descent::dist
