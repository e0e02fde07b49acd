#pragma once
// Errors a user can cause (bad config, bad checkpoint, bad option). The CLI
// prints what() and exits non-zero; nothing here is ever a crash or a default.
#include <stdexcept>
#include <string>

namespace specmamba {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A configuration file or value is invalid; the message names file and JSON path.
class ConfigError : public Error {
 public:
  using Error::Error;
};

// A checkpoint (safetensors) file is unreadable or does not match the model.
class CheckpointError : public Error {
 public:
  using Error::Error;
};

}  // namespace specmamba
