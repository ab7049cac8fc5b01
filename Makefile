# spdiff: the README's two commands are `make demo` and `make test`.
SHELL := /bin/bash
MVN ?= mvn -B -ntp
ENV := . bin/env.sh &&

.PHONY: demo test build bench bench-peer clean setup fmt flink-up flink-down help

help:
	@echo "make demo    run the demo study (experiments/demo.yaml) on embedded Flink"
	@echo "make test    run every test (unit, pipeline, integration)"
	@echo "make build   build the bundled jar (pipelines/target/spdiff.jar)"
	@echo "make bench   run the benchmark harnesses (prints figures)"
	@echo "make bench-peer  spdiff vs PyTorch on the bench UNet, alternating (needs Debian python3-torch)"
	@echo "make fmt     format the sources (google-java-format)"
	@echo "make clean   remove build outputs"

setup:
	@bin/setup

build: setup
	$(ENV) $(MVN) -q -DskipTests install

demo: build
	bin/spdiff run experiments/demo.yaml

test: setup
	$(ENV) $(MVN) install -Ddjl.cache.dir="$$DJL_CACHE_DIR"

bench: build
	$(ENV) $(MVN) -q test -Dsurefire.groups=bench -Dsurefire.excludedGroups= -Ddjl.cache.dir="$$DJL_CACHE_DIR" -Ddjl.threads=2 -Dsurefire.failIfNoSpecifiedTests=false

# spdiff's DiffusionBench against the PyTorch peer (infra/bench/peer), alternating rounds in one window.
bench-peer: setup
	$(ENV) MVN="$(MVN)" infra/bench/peer/bench-peer.sh

fmt:
	$(MVN) -q spotless:apply

clean:
	$(MVN) -q clean

# A loopback Flink 1.19 session cluster (JobManager + NUM_TM TaskManager JVMs) for --runner=FlinkRunner
# --flinkMaster=localhost:8081; settings in infra/flink/flink-env.sh.
NUM_TM ?= 2
flink-up: build
	$(ENV) infra/flink/flink-up.sh $(NUM_TM)

flink-down:
	infra/flink/flink-down.sh
