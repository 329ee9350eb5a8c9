# Rampart: the two commands a newcomer needs are `make demo` and `make test`.
# Each installs what is missing first (`make setup`).

BUILD_DIR  ?= build/cmake
ASAN_DIR   ?= build/asan
TSAN_DIR   ?= build/tsan
BIN_DIR    := build/bin
CMAKE_TYPE ?= RelWithDebInfo

# ccache (when installed) keys on paths relative to the clone, so a fresh clone on the same
# machine reuses what an earlier one compiled.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: setup build build-daemon build-provider test test-daemon test-sanitize test-tsan test-fuzz \
        test-schemathesis test-go test-e2e \
        proto proto-check docs docs-check demo demo-stop clean bench-index bench-audit bench-http bench-terraform \
        bench-replicas

setup:
	@.ci/setup.sh

build: setup build-daemon build-provider

build-daemon:
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(CMAKE_TYPE) >/dev/null
	@cmake --build $(BUILD_DIR)

build-provider:
	go build -o $(BIN_DIR)/terraform-provider-rampart ./provider-shim

# Every suite: generated code fresh, C++ (GoogleTest via ctest), Go unit tests, and the
# end-to-end test with the real CLI against a real daemon.
test: build proto-check docs-check test-daemon test-sanitize test-tsan test-fuzz test-schemathesis test-go test-e2e

test-daemon:
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j2

# Provider unit and acceptance tests (the latter run the real CLI against a real rampartd).
# The daemon's suites again, built with AddressSanitizer and UndefinedBehaviorSanitizer.
test-sanitize:
	@cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DRAMPART_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_DIR)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  ctest --test-dir $(ASAN_DIR) --output-on-failure -j2

# The suites whose tests run threads against each other (the HTTP server with its clients,
# the services with their background tasks, the access index), built with ThreadSanitizer.
# postgres_test_server: the fixture the pg. variants need (the PostgreSQL store under TSan too).
TSAN_TESTS := http_test service_test authz_test store_test postgres_test_server
test-tsan:
	@cmake -S . -B $(TSAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" -DRAMPART_TSAN=ON >/dev/null
	@cmake --build $(TSAN_DIR) --target $(TSAN_TESTS)
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  ctest --test-dir $(TSAN_DIR) --output-on-failure -j2 -E '_NOT_BUILT'

# libFuzzer over request parsing and validation and over the permission-pattern matcher,
# clang with ASan and UBSan, 30 s each (RAMPART_FUZZ_SECONDS=3600 for the long run).
test-fuzz:
	@.ci/fuzz.sh

# Schemathesis against a live rampartd and the OpenAPI document it serves at /v1/openapi
# (short by default; RAMPART_SCHEMATHESIS_MAX_EXAMPLES=500 for a long run).
test-schemathesis: build
	@.ci/schemathesis.sh

# Both resolve the CLI once, with the same script, and stop if it fails.
test-go:
	go vet ./...
	@cli="$$(.ci/terraform-cli.sh)" && RAMPART_TF_CLI="$$cli" .ci/go-test.sh go ./provider-shim/...

test-e2e:
	@cli="$$(.ci/terraform-cli.sh)" && RAMPART_TF_CLI="$$cli" .ci/go-test.sh e2e ./tests/e2e/...

# Go API types are generated from proto/ and checked in (see proto/generate.sh).
proto:
	proto/generate.sh

proto-check:
	@.ci/proto-check.sh

# Provider docs are generated from schema descriptions and provider-shim/examples.
docs:
	@.ci/provider-docs.sh

docs-check:
	@.ci/provider-docs.sh --check

demo: build
	@terraform-examples/demo.sh start

demo-stop:
	@terraform-examples/demo.sh stop

clean: demo-stop
	rm -rf build .demo

# The access index's build time, memory and check latency on a large synthetic organization
# (daemon/bench/check_bench.cc): a Release tree of its own, without tests. Only the benchmark
# target is built: a full build there would replace build/bin/rampartd.
bench-index:
	@cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DRAMPART_BUILD_BENCHMARKS=ON \
	  -DRAMPART_BUILD_TESTS=OFF >/dev/null
	@cmake --build build/bench --target rampart_check_bench
	build/bench/daemon/bench/rampart_check_bench

# The audit trail's append, verify, export and query costs next to plain-SQLite baselines
# (daemon/bench/audit_bench.cc), in the same Release tree; 1,000,000 events, a few minutes.
bench-audit:
	@cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DRAMPART_BUILD_BENCHMARKS=ON \
	  -DRAMPART_BUILD_TESTS=OFF >/dev/null
	@cmake --build build/bench --target rampart_audit_bench
	build/bench/daemon/bench/rampart_audit_bench

# POST /v1/check against GET /healthz under keep-alive load from a second process, on a
# daemon of its own with a seeded organization (tests/bench/http_check_bench.sh).
bench-http: build
	tests/bench/http_check_bench.sh

# The CLI applying and planning 1,005 Rampart resources next to as many terraform_data
# resources (tests/e2e/scale_test.go; make test runs it too).
bench-terraform: build
	@mkdir -p build && cli="$$(.ci/terraform-cli.sh)" && \
	  RAMPART_TF_CLI="$$cli" go test -count=1 -v -run TestScale ./tests/e2e/ >build/bench-terraform.log 2>&1; \
	  status=$$?; sed -n '/^scale:/,/ratio/p' build/bench-terraform.log; \
	  [ $$status -eq 0 ] || { tail -40 build/bench-terraform.log; exit $$status; }

# Two replicas on one PostgreSQL next to one daemon on SQLite, in the same run: check
# latency, write rates through one replica and both, and how long a grant made through one
# replica takes to show on the other (tests/e2e/replicas_bench_test.go; not part of make test).
bench-replicas: build
	@mkdir -p build && go test -count=1 -run '^$$' -bench BenchmarkReplicas -benchtime 1x ./tests/e2e/ \
	  >build/bench-replicas.log 2>&1; \
	  status=$$?; grep '^replicas:' build/bench-replicas.log; \
	  [ $$status -eq 0 ] || { tail -40 build/bench-replicas.log; exit $$status; }
