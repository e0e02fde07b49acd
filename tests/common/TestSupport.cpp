#include "tests/common/TestSupport.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace specmamba::test {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "specmamba-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void writeText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

CliResult runCli(const std::string& args) {
  TempDir dir;
  const std::string out = dir.file("out"), err = dir.file("err");
  const std::string cmd =
      std::string(SPECMAMBA_BINARY) + " " + args + " >" + out + " 2>" + err + " </dev/null";
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = readText(out);
  r.err = readText(err);
  return r;
}

int spawnCli(const std::string& args) {
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string cmd = std::string("exec ") + SPECMAMBA_BINARY + " " + args + " >/dev/null 2>&1 </dev/null";
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return int(pid);
}

namespace {

void addLeaves(const nlohmann::json& v, const nlohmann::json::json_pointer& at,
               std::map<std::string, nlohmann::json>& out) {
  if (v.is_object() && !v.empty()) {
    for (const auto& item : v.items()) addLeaves(item.value(), at / item.key(), out);
  } else if (v.is_array() && !v.empty()) {
    for (size_t i = 0; i < v.size(); ++i) addLeaves(v[i], at / i, out);
  } else {
    out[at.empty() ? "/" : at.to_string()] = v;
  }
}

}  // namespace

std::map<std::string, nlohmann::json> jsonLeaves(const nlohmann::json& doc) {
  std::map<std::string, nlohmann::json> out;
  addLeaves(doc, nlohmann::json::json_pointer(), out);
  return out;
}

std::string sourceDir() { return SPECMAMBA_SOURCE_DIR; }

}  // namespace specmamba::test
