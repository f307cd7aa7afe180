# xbarsim: a thin wrapper around CMake. `make demo` and `make test` work on a fresh machine:
# both first install what is missing and fetch the data (scripts/setup.sh), then build.
BUILD    ?= build
ASANDIR  ?= build-asan
FUZZDIR  ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
JOBS     ?= 2
CMAKE_FLAGS ?=

.PHONY: all setup deps data configure build demo test test-asan test-slurm fuzz fuzz-build paper bench format clean

all: build

deps:
	@bash scripts/setup.sh deps

data: deps
	@bash scripts/setup.sh data

setup: deps data

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

configure: $(BUILD)/CMakeCache.txt

build: deps configure
	cmake --build $(BUILD) -j $(JOBS)

demo: setup build
	$(BUILD)/xbarsim demo

test: setup build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The paper's Table 2 on the chip, five seeds (netlists/studies/paper.yaml): runs/paper/table.md
# (mean +- std beside the paper's), summary.csv, points.csv and plots. Resumes when re-run.
PAPER_JOBS ?= 2
paper: setup build
	$(BUILD)/xbarsim sweep netlists/studies/paper.yaml --out runs/paper --jobs $(PAPER_JOBS)

# A study's Slurm job array end to end on a private one-node Slurm (tests/slurm/run.sh).
test-slurm: setup build
	bash scripts/setup.sh scale
	bash tests/slurm/run.sh $(BUILD)

# Benchmarks (optimised build): runs/bench/bench.csv and bench.png. Prints figures only.
bench: setup
	bash scripts/bench.sh

# The suite again under AddressSanitizer and UndefinedBehaviorSanitizer (.ci/run runs it).
test-asan: setup
	cmake -S . -B $(ASANDIR) -DXB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug $(CMAKE_FLAGS)
	cmake --build $(ASANDIR) -j $(JOBS)
	cd $(ASANDIR) && ctest --output-on-failure -j $(JOBS)

# The libFuzzer targets (tests/fuzz: netlist loader, --set, IDX reader) under ASan/UBSan, built
# with clang in $(FUZZDIR) (set-up installs clang and libFuzzer), then each run FUZZ_SECONDS from
# the seed corpora (.ci/run runs it); a crash, leak, timeout or out-of-memory input fails.
fuzz-build: deps
	@bash scripts/setup.sh fuzz
	cmake -S . -B $(FUZZDIR) -DXB_FUZZ=ON -DCMAKE_C_COMPILER=clang $(CMAKE_FLAGS)
	cmake --build $(FUZZDIR) -j $(JOBS) --target fuzzers

fuzz: fuzz-build
	bash tests/fuzz/run.sh $(FUZZDIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

format:
	clang-format -i $$(git ls-files '*.c' '*.h' '*.cpp')

clean:
	rm -rf $(BUILD) $(ASANDIR) $(FUZZDIR)
