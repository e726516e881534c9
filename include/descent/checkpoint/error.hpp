#pragma once
/// CheckpointError: a checkpoint could not be written, or read back into the live objects.

#include <stdexcept>
#include <string>

namespace descent {

/// Thrown when a checkpoint cannot be saved or loaded: a truncated, corrupted (checksum),
/// foreign (magic) or newer (version) file, a malformed payload, or, in strict mode, any
/// difference between the checkpoint and the live objects. The message names the reason. A load
/// that throws has changed nothing.
class CheckpointError : public std::runtime_error {
 public:
  explicit CheckpointError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace descent
