#!/usr/bin/env bash
# Installs every Debian package specmamba needs. Idempotent: when everything is
# present it only runs dpkg queries (well under a second) and touches nothing.
set -euo pipefail

PACKAGES=(
  build-essential cmake make pkg-config   # toolchain (g++ 12, CMake >= 3.25)
  libsystemc-dev                          # SystemC 2.3.4 platform
  verilator                               # RTL -> C++/SystemC models
  catch2                                  # Catch2 v2 unit tests
  libfmt-dev                              # messages and tables
  nlohmann-json3-dev                      # configs, reports
  libcli11-dev                            # command-line parsing (subcommands, --help)
  yosys                                   # synthesis checks and resource estimates
  python3 python3-matplotlib              # figures under tools/
  slurmctld slurmd slurm-client munge     # the real single-node Slurm of tests/slurm (sweeps)
  clang libclang-rt-14-dev                # libFuzzer targets (make fuzz, tests/fuzz)
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done" >&2
