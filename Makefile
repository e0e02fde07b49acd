# Two commands: `make run` and `make test`. Each installs what is missing,
# configures, builds, then runs. Other presets: `make test PRESET=asan`.
PRESET ?= release
JOBS   ?= $(shell nproc)
BIN    := build/$(PRESET)/specmamba

.PHONY: all deps configure build run test test-long bench fuzz clean

all: build

deps:
	@tools/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET) -j $(JOBS)

run: build
	@$(BIN) run default

test: build
	@ctest --preset $(PRESET)

# Regressions too long for CI (ctest label "long"; today the full Yosys
# synth_xilinx resource table, see docs/rtl.md and docs/resources.md).
test-long: build
	@ctest --test-dir build/$(PRESET) -L long --output-on-failure

# libFuzzer targets of tests/fuzz (clang, ASan + UBSan), SECONDS each.
SECONDS ?= 60
fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS) --target fuzz_targets
	@tools/fuzz.sh $(SECONDS)

bench: build
	@build/$(PRESET)/specmamba-bench fp32-decode

clean:
	rm -rf build
