# xbarsim: a thin wrapper around CMake. `make demo` and `make test` work on a fresh machine:
# both first install what is missing and fetch the data (scripts/setup.sh), then build.
BUILD    ?= build
ASANDIR  ?= build-asan
JOBS     ?= 2
CMAKE_FLAGS ?=

.PHONY: all setup deps data configure build demo test test-asan paper bench format clean

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

# The paper's Table 2 on the chip, one seed: runs/paper/table.md and table.csv.
paper: setup build
	bash scripts/paper.sh

# Benchmarks (optimised build): runs/bench/bench.csv and bench.png. Prints figures only.
bench: setup
	bash scripts/bench.sh

# The suite again under AddressSanitizer and UndefinedBehaviorSanitizer (.ci/run runs it).
test-asan: setup
	cmake -S . -B $(ASANDIR) -DXB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug $(CMAKE_FLAGS)
	cmake --build $(ASANDIR) -j $(JOBS)
	cd $(ASANDIR) && ctest --output-on-failure -j $(JOBS)

format:
	clang-format -i $$(git ls-files '*.c' '*.h' '*.cpp')

clean:
	rm -rf $(BUILD) $(ASANDIR)
