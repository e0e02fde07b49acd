#pragma once
// Shared test helpers: scratch files and running the `specmamba` binary.
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace specmamba::test {

// A fresh directory under the build tree's temp area, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void writeText(const std::string& path, const std::string& text);
std::string readText(const std::string& path);

struct CliResult {
  int exitCode = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};
// Runs `specmamba <args>` (args are passed to /bin/sh, quote accordingly).
CliResult runCli(const std::string& args);

// Starts `specmamba <args>` in the background (stdout/stderr discarded) and
// returns its pid (the caller waits for or kills it).
int spawnCli(const std::string& args);

// Every leaf of `doc` (scalars, empty objects and arrays) by its JSON
// pointer ("/" for a scalar document).
std::map<std::string, nlohmann::json> jsonLeaves(const nlohmann::json& doc);

std::string sourceDir();

}  // namespace specmamba::test
