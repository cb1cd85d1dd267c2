#!/usr/bin/env bash
# The 500 MB/s workload (issue 6 §5): 1 KiB records, 12 partitions, acks=1, group commit (the broker's default flush
# policy: flush.policy=group, flush.ms=2 — an ack waits for the fsync that covers the record), replication 1; the
# harness tries to hold 500 MB/s (10^6 B of values per second) for 60 s after a 5 s warm-up, with client and broker on
# this machine, and reports per-second MB/s, the seconds below 95 %, produce latency p50/p99/p99.9 (from the intended
# send time: corrected for coordinated omission), broker CPU per thread, and the broker's allocations and GC (fastmq-diag
# probe). A CPU sampling trace of the broker (15 s after the warm-up) is written next to the results with its top frames.
#
#   perf/sustain-500.sh                    # build Release into $ART and run once
#
# Environment: ART=/tmp/art-sustain (build output), OUT=DIR (results), TARGET_MBPS=500, DURATION=60, WARMUP=10
#   (throughput ramps up over the first ~6-8 s: JIT tiering and client batches growing with the backlog),
#   CLIENT=fastmq (FastMQ.Client; CLIENT=confluent PRODUCERS=4 PROCESSES=2 for Confluent.Kafka, whose .NET producer
#   process tops out near 330 MB/s of 1 KiB here), PRODUCERS=2, PROCESSES=1, TRACE_S=15,
#   EXTRA="..." (more fastmq-perf options), FASTMQ_PERF_DLL (use this build instead of building).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ART=${ART:-/tmp/art-sustain}
OUT=${OUT:-/tmp/fastmq-sustain-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
PERF_DLL=${FASTMQ_PERF_DLL:-}
if [ -z "$PERF_DLL" ]; then
  dotnet build "$ROOT/perf/FastMQ.PerfHarness" -c Release --artifacts-path "$ART" -v q -nologo >"$OUT/build.log" 2>&1 \
    || { tail -30 "$OUT/build.log"; exit 1; }
  PERF_DLL=$ART/bin/FastMQ.PerfHarness/release/fastmq-perf.dll
fi
{
  echo "date_utc: $(date -u +%FT%TZ)"
  echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null) (dirty files: $(git -C "$ROOT" status --porcelain 2>/dev/null | wc -l))"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; kernel $(uname -r); dotnet $(dotnet --version)"
  echo "loadavg at start: $(cat /proc/loadavg)"
} | tee "$OUT/machine.txt"
CMD=(sustain --target-mbps "${TARGET_MBPS:-500}" --size 1024 --partitions 12 --acks 1 --compression none --linger-ms 5
     --batch-size 1000000 --client "${CLIENT:-fastmq}" --producers "${PRODUCERS:-2}" --processes "${PROCESSES:-1}"
     --duration "${DURATION:-60}" --warmup "${WARMUP:-10}" --diag --trace-s "${TRACE_S:-15}" --label sustain-500 --out "$OUT")
# shellcheck disable=SC2086
echo "fastmq-perf ${CMD[*]} ${EXTRA:-}" | tee "$OUT/command.txt"
# shellcheck disable=SC2086
dotnet "$PERF_DLL" "${CMD[@]}" ${EXTRA:-} 2>&1 | tee "$OUT/run.log" || true
echo "loadavg at end: $(cat /proc/loadavg)" | tee -a "$OUT/machine.txt"
echo "results in $OUT"
