# Rampart: the two commands a newcomer needs are `make demo` and `make test`.
# Each installs what is missing first (`make setup`).

BUILD_DIR  ?= build/cmake
BIN_DIR    := build/bin
CMAKE_TYPE ?= RelWithDebInfo

.PHONY: setup build build-daemon build-provider test test-daemon test-go test-e2e \
        proto proto-check docs docs-check demo demo-stop clean

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
test: build proto-check docs-check test-daemon test-go test-e2e

test-daemon:
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j2

# Provider unit and acceptance tests (the latter run the real CLI against a real rampartd).
test-go:
	go vet ./...
	@RAMPART_TF_CLI="$$(.ci/terraform-cli.sh)" .ci/go-test.sh go ./provider-shim/...

test-e2e:
	@RAMPART_TF_CLI="$$(.ci/terraform-cli.sh)" .ci/go-test.sh e2e ./tests/e2e/...

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

clean:
	rm -rf build .demo
