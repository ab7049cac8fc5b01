#!/usr/bin/env bash
# Launches an spdiff command on Google Cloud Dataflow with GPU workers (runner v2, the custom worker
# image of infra/dataflow/Dockerfile). Usage:
#   PROJECT=my-project REGION=us-central1 BUCKET=my-bucket IMAGE=us-central1-docker.pkg.dev/my-project/spdiff/worker:TAG \
#     infra/dataflow/launch.sh run experiments/demo.yaml [more spdiff flags]
# DRY_RUN=1 prints the command instead of running it.
# GRAPH=1 builds the Dataflow job graph of the cluster smoke pipeline with exactly these flags, offline
# (org.spdiff.pipelines.launch.DataflowDryRun: no Google Cloud call, nothing uploaded), and prints its
# steps and which carry the GPU hint.
# NOT TESTED HERE: no Google Cloud access from the development machine. What is tested offline is the
# job graph these flags produce (org.spdiff.pipelines.launch.DataflowDryRun, DataflowDryRunTest).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${PROJECT:?set PROJECT to the Google Cloud project id}"
: "${REGION:?set REGION, e.g. us-central1 (must offer the accelerator)}"
: "${BUCKET:?set BUCKET to a gs bucket name (no gs:// prefix) for temp files, staging and the store}"
: "${IMAGE:?set IMAGE to the worker image built from infra/dataflow/Dockerfile}"
: "${ACCELERATOR:=type:nvidia-l4;count:1;install-nvidia-driver}"
: "${MACHINE:=g2-standard-8}"          # the machine family that carries L4 GPUs (8 vCPU, 32 GB)
: "${DISK_GB:=100}"                     # the worker image with CUDA libtorch is large (~10 GB)
: "${MAX_WORKERS:=4}"
# Beam's Java harness runs with its own jars + the staged files only, so the job stages the pipeline jar
# and all its dependencies (Dataflow skips files already in the staging location with the same hash),
# except the CPU libtorch jar: the image carries the CUDA libtorch in DJL_CACHE_DIR.
stage_list() {
  local files=("$root/pipelines/target/spdiff.jar") f
  for f in "$root"/pipelines/target/lib/*.jar "$root"/infra/target/flink-lib/*.jar; do
    case "$(basename "$f")" in pytorch-native-cpu-*) ;; *) files+=("$f") ;; esac
  done
  (IFS=,; echo "${files[*]}")
}
[ -f "$root/pipelines/target/spdiff.jar" ] || { echo "build first: mvn -DskipTests install" >&2; exit 1; }
[ "$#" -ge 1 ] || [ "${GRAPH:-0}" = 1 ] || { echo "usage: $0 SPDIFF_COMMAND [ARGS...]   e.g. $0 run experiments/demo.yaml" >&2; exit 2; }

flags=(
  --runner=DataflowRunner
  --project="$PROJECT"
  --region="$REGION"
  --tempLocation="gs://$BUCKET/tmp"
  --stagingLocation="gs://$BUCKET/staging"
  --sdkContainerImage="$IMAGE"
  # Every worker of the job gets this accelerator and the driver ...
  --dataflowServiceOptions="worker_accelerator=$ACCELERATOR"
  --workerMachineType="$MACHINE"
  --diskSizeGb="$DISK_GB"
  --maxNumWorkers="$MAX_WORKERS"
  # ... and resource hints (runner v2 only) mark the GPU stages; see GpuHints.
  --experiments=use_runner_v2
  --gpuAccelerator="$ACCELERATOR"
  --filesToStage="$(stage_list)"
)
if [ "${GRAPH:-0}" = 1 ]; then
  exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$root/pipelines/target/spdiff.jar:$root/pipelines/target/lib/*:$root/infra/target/flink-lib/*" \
    org.spdiff.pipelines.launch.DataflowDryRun "${flags[@]}" --output="gs://$BUCKET/smoke/smoke.tsv"
fi
cmd=("$root/bin/spdiff" "$@" "${flags[@]}")
if [ "${DRY_RUN:-0}" = 1 ]; then printf '%q ' "${cmd[@]}"; echo; exit 0; fi
exec "${cmd[@]}"
