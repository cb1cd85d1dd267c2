#!/usr/bin/env bash
# FastMQ vs Redis Streams vs NATS JetStream on the same machine in the same run (issue 3 §8 / issue 6 §2).
#
#   perf/compare.sh            # REPEAT=2 runs of every figure, ~12 s each (about 6-8 minutes in all)
#
# Environment:
#   REPEAT=2          runs of each figure (the machine is shared and noisy: report every run, not just the best)
#   DURATION=12       seconds of producing per FastMQ run
#   OUT=DIR           results (JSON, CSV, PNG, summary.md); default /tmp/fastmq-compare-<utc time>
#   FASTMQ_PERF_DLL   a built fastmq-perf.dll to use (its sibling FastMQ.Server build is started); default: build
#                     perf/FastMQ.PerfHarness in Release into $ART (default /tmp/art-compare)
#   REDIS_CLIENTS=8   redis-benchmark connections (-c); pipeline depth is 64 (-P)
#   BROKER_ARGS="k=v k2=v2"  extra FastMQ broker settings for every run (e.g. fastmq.network.backend=io_uring)
#   NATS_PRODUCERS=2  publishing threads of the NATS produce runs (each pipelines 2,048 async publishes)
#   PEERS="redis nats"  which peers to run
#   CLIENT=confluent  FastMQ runs' client: confluent (Confluent.Kafka) or fastmq (FastMQ.Client)
#
# It also runs the same fixed-rate e2e latency scenario against Redis (fastmq-perf redis-e2e: pipelined XADD, XREAD
# BLOCK), to show what this machine allows a peer that does not wait for fsync.
# FastMQ runs under its default durability (flush.policy=group, flush.ms=2: acks=1 waits for the covering fsync);
# Redis under appendonly yes + appendfsync everysec (replies before the fsync); NATS 2.9.10 JetStream with file storage,
# one replica: its PubAck follows the write to the stream file, before any fsync (2.9 has no sync setting; sync_interval
# came in 2.10; the file store syncs on its own timer). Neither peer can wait for an fsync before acknowledging, so both
# are labelled "acks before fsync": their figures are upper bounds for FastMQ-equivalent durability. All single node, loopback.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPEAT=${REPEAT:-2}
DURATION=${DURATION:-12}
ART=${ART:-/tmp/art-compare}
OUT=${OUT:-/tmp/fastmq-compare-$(date -u +%Y%m%d-%H%M%S)}
REDIS_CLIENTS=${REDIS_CLIENTS:-8}
NATS_PRODUCERS=${NATS_PRODUCERS:-2}
PEERS=${PEERS:-redis nats}
CLIENT=${CLIENT:-confluent}
BROKER_FLAGS=(--client "$CLIENT")
for kv in ${BROKER_ARGS:-}; do BROKER_FLAGS+=(--broker-arg "$kv"); done
mkdir -p "$OUT/fastmq" "$OUT/redis" "$OUT/nats"

log() { echo "== $*" | tee -a "$OUT/commands.log"; }

# --- tools --------------------------------------------------------------------------------------------------------
if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
  log "installing redis-server (Debian package)"
  apt-get install -y redis-server >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y redis-server >/dev/null; }
fi
# Debian starts a system redis on 6379 after installing; it is not used here (we start our own on a free port).
if ! command -v nats-server >/dev/null; then
  log "installing nats-server (Debian package)"
  apt-get install -y nats-server >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y nats-server >/dev/null; }
fi

PERF_DLL=${FASTMQ_PERF_DLL:-}
if [ -z "$PERF_DLL" ]; then
  log "dotnet build perf/FastMQ.PerfHarness -c Release --artifacts-path $ART"
  dotnet build "$ROOT/perf/FastMQ.PerfHarness" -c Release --artifacts-path "$ART" -v q -nologo >"$OUT/build.log" 2>&1 \
    || { tail -30 "$OUT/build.log"; exit 1; }
  PERF_DLL=$ART/bin/FastMQ.PerfHarness/release/fastmq-perf.dll
fi

{
  echo "date_utc: $(date -u +%FT%TZ)"
  echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null) (dirty files: $(git -C "$ROOT" status --porcelain 2>/dev/null | wc -l))"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
  echo "kernel: $(uname -r)"
  echo "memory: $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "dotnet: $(dotnet --version)"
  echo "redis: $(redis-server --version)"
  echo "nats: $(nats-server --version)"
  echo "loadavg at start: $(cat /proc/loadavg)"
  echo "perf dll: $PERF_DLL (broker: $(dirname "$(dirname "$(dirname "$PERF_DLL")")")/FastMQ.Server/$(basename "$(dirname "$PERF_DLL")")/fastmq-server.dll)"
  echo "broker args: ${BROKER_ARGS:-none}; FastMQ client: $CLIENT"
} >"$OUT/machine.txt"
cat "$OUT/machine.txt"

perf() { # label, then fastmq-perf arguments
  local label=$1; shift
  log "fastmq-perf $* ${BROKER_FLAGS[*]:-} --label $label"
  dotnet "$PERF_DLL" "$@" ${BROKER_FLAGS[@]+"${BROKER_FLAGS[@]}"} --label "$label" --out "$OUT/fastmq" >"$OUT/fastmq/$label.log" 2>&1 \
    || echo "   (exit code $?; see $OUT/fastmq/$label.log)"
  tail -n 25 "$OUT/fastmq/$label.log" | grep -E "throughput|e2e from|errors|busiest|CPU" || true
}

peer() { # system (redis|nats), label, then fastmq-perf arguments (no FastMQ broker is started for peer scenarios)
  local sys=$1 label=$2; shift 2
  log "fastmq-perf $* --label $label"
  dotnet "$PERF_DLL" "$@" --label "$label" --out "$OUT/$sys" >"$OUT/$sys/$label.log" 2>&1 \
    || echo "   (exit code $?; see $OUT/$sys/$label.log)"
  tail -n 25 "$OUT/$sys/$label.log" | grep -E "throughput|e2e from|errors|CPU" || true
}

# --- FastMQ -------------------------------------------------------------------------------------------------------
for r in $(seq 1 "$REPEAT"); do
  perf "produce-1k-none-r$r"  produce --size 1024 --acks 1 --compression none --linger-ms 5 --duration "$DURATION" --no-plot
  perf "produce-1k-lz4-r$r"   produce --size 1024 --acks 1 --compression lz4  --linger-ms 5 --duration "$DURATION" --no-plot
  perf "produce-100b-none-r$r" produce --size 100 --acks 1 --compression none --linger-ms 5 --duration "$DURATION" --no-plot
  perf "produce-100b-lz4-r$r"  produce --size 100 --acks 1 --compression lz4  --linger-ms 5 --duration "$DURATION" --no-plot
  perf "consume-1k-r$r"       consume --size 1024 --count 1000000 --no-plot
  perf "e2e-20k-1k-r$r"       e2e --size 1024 --rate 20000 --acks 1 --warmup 2 --duration "$DURATION"
done

# --- Redis Streams ------------------------------------------------------------------------------------------------
PIDS=()
DIRS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  for d in "${DIRS[@]}"; do rm -rf "$d"; done
}
trap cleanup EXIT
echo "label,size_bytes,requests,stream_length,xadd_per_s,server_cpu_s" >"$OUT/redis/summary.csv"
if [[ " $PEERS " == *" redis "* ]]; then
RPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RDIR=$(mktemp -d /tmp/fastmq-compare-redis-XXXXXX)
log "redis-server --port $RPORT --bind 127.0.0.1 --dir $RDIR --appendonly yes --appendfsync everysec --save ''"
redis-server --port "$RPORT" --bind 127.0.0.1 --dir "$RDIR" --appendonly yes --appendfsync everysec --save "" \
  --daemonize no >"$OUT/redis/redis-server.log" 2>&1 &
RPID=$!
PIDS+=("$RPID"); DIRS+=("$RDIR")
for _ in $(seq 1 50); do redis-cli -p "$RPORT" PING >/dev/null 2>&1 && break; sleep 0.1; done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime of a process, in 1/100 s

redis_run() { # label size count
  local label=$1 size=$2 n=$3
  # Random base64 text of exactly SIZE bytes as the field value (Redis does not compress values).
  local payload
  payload=$(head -c $((size * 2)) /dev/urandom | base64 -w0 | head -c "$size")
  redis-cli -p "$RPORT" DEL s >/dev/null
  log "redis-benchmark -p $RPORT -c $REDIS_CLIENTS -P 64 -n $n --csv XADD s '*' f <${size}-byte payload>   # $label"
  local c0 c1 w0 w1
  c0=$(cpu_ticks "$RPID"); w0=$(date +%s.%N)
  redis-benchmark -p "$RPORT" -c "$REDIS_CLIENTS" -P 64 -n "$n" --csv XADD s '*' f "$payload" >"$OUT/redis/$label.csv" 2>&1
  c1=$(cpu_ticks "$RPID"); w1=$(date +%s.%N)
  local rps len cpu
  rps=$(tail -n 1 "$OUT/redis/$label.csv" | awk -F'","' '{print $2}')
  len=$(redis-cli -p "$RPORT" XLEN s)
  cpu=$(awk -v a="$c0" -v b="$c1" 'BEGIN{print (b - a) / 100}')
  echo "$label,$size,$n,$len,$rps,$cpu" >>"$OUT/redis/summary.csv"
  echo "   $label: $rps XADD/s (stream length $len), redis-server CPU $cpu s over $(awk -v a="$w0" -v b="$w1" 'BEGIN{printf "%.1f", b - a}') s"
}
for r in $(seq 1 "$REPEAT"); do
  redis_run "xadd-1k-r$r" 1024 800000
  # The consume workload reads the stream the 1 KiB XADD run just filled (like FastMQ's consume reads its preload).
  peer redis "redis-consume-1k-r$r" redis-consume --redis "127.0.0.1:$RPORT" --broker-pid "$RPID" --topic s --count 800000 --no-plot
  redis_run "xadd-100b-r$r" 100 2000000
done
for r in $(seq 1 "$REPEAT"); do
  redis-cli -p "$RPORT" FLUSHALL >/dev/null
  perf "redis-e2e-20k-1k-r$r" redis-e2e --redis "127.0.0.1:$RPORT" --broker-pid "$RPID" --size 1024 --rate 20000 --warmup 2 --duration "$DURATION"
done
redis-cli -p "$RPORT" INFO persistence | grep -E '^aof_enabled|^aof_last_write_status' >>"$OUT/redis/summary.csv.info" || true
kill "$RPID"; wait "$RPID" 2>/dev/null || true
fi

# --- NATS JetStream -----------------------------------------------------------------------------------------------
if [[ " $PEERS " == *" nats "* ]]; then
NPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
NDIR=$(mktemp -d /tmp/fastmq-compare-nats-XXXXXX)
DIRS+=("$NDIR")
printf 'listen: 127.0.0.1:%s\njetstream { store_dir: "%s/store" }\n' "$NPORT" "$NDIR" >"$NDIR/nats.conf"
NATS_SYNC="nats-server 2.9.10 has no sync setting (sync_interval came in 2.10): PubAck before fsync"
log "nats-server -c $NDIR/nats.conf   # JetStream, file storage, store $NDIR/store; $NATS_SYNC"
nats-server -c "$NDIR/nats.conf" >"$OUT/nats/nats-server.log" 2>&1 &
NPID=$!
PIDS+=("$NPID")
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$NPORT") 2>/dev/null && break; sleep 0.1; done
N=(--nats "nats://127.0.0.1:$NPORT" --broker-pid "$NPID" --nats-sync "$NATS_SYNC")
for r in $(seq 1 "$REPEAT"); do
  peer nats "nats-produce-1k-r$r"   nats-produce "${N[@]}" --topic "p1k$r" --size 1024 --producers "$NATS_PRODUCERS" --duration "$DURATION" --no-plot
  peer nats "nats-produce-100b-r$r" nats-produce "${N[@]}" --topic "p100b$r" --size 100 --producers "$NATS_PRODUCERS" --duration "$DURATION" --no-plot
  peer nats "nats-consume-1k-r$r"   nats-consume "${N[@]}" --topic "c1k$r" --size 1024 --producers "$NATS_PRODUCERS" --count 500000 --no-plot
  peer nats "nats-e2e-20k-1k-r$r"   nats-e2e "${N[@]}" --topic "e2e$r" --size 1024 --rate 20000 --warmup 2 --duration "$DURATION"
done
kill "$NPID"; wait "$NPID" 2>/dev/null || true
fi
echo "loadavg at end: $(cat /proc/loadavg)" >>"$OUT/machine.txt"

# --- summary ------------------------------------------------------------------------------------------------------
python3 - "$OUT" <<'PY'
import csv, glob, json, os, statistics, sys
out = sys.argv[1]
runs = {}
for path in sorted(glob.glob(os.path.join(out, "fastmq", "*.json"))):
    r = json.load(open(path))
    key = r["Label"].rsplit("-r", 1)[0]
    runs.setdefault(key, []).append(r)
redis = {}
cost = {}  # server CPU µs per message: robust to how much CPU the load generator got on a shared machine
for row in csv.DictReader(open(os.path.join(out, "redis", "summary.csv"))):
    key = row["label"].rsplit("-r", 1)[0]
    redis.setdefault(key, []).append(float(row["xadd_per_s"]))
    cost.setdefault("Redis " + key, []).append(float(row["server_cpu_s"]) * 1e6 / float(row["requests"]))
lines = ["| figure | runs | median |", "| --- | --- | --- |"]
def fmt(v): return f"{v:,.0f}"
med = {}
for key, rs in sorted(runs.items()):
    if "e2e" in key:
        for which in ("E2eFromIntended", "E2eFromSent"):
            p = [x["Outcome"][which] for x in rs]
            cell = "; ".join(f'p50 {q["P50Ms"]:.2f} / p99 {q["P99Ms"]:.2f} / p99.9 {q["P999Ms"]:.2f} ms' for q in p)
            who = "Redis" if key.startswith("redis") else "FastMQ"
            lines.append(f"| {who} {key} {which} | {cell} | p99 median {statistics.median(q['P99Ms'] for q in p):.2f} ms |")
            med[key + which] = statistics.median(q["P99Ms"] for q in p)
    else:
        v = [x["Outcome"]["Messages"] / x["Outcome"]["ElapsedS"] for x in rs]
        cost["FastMQ " + key] = [x["BrokerCpuPercent"] / 100 * x["Outcome"]["ElapsedS"] * 1e6 / max(1, x["Outcome"]["Messages"]) for x in rs]
        med[key] = statistics.median(v)
        lines.append(f"| FastMQ {key} msg/s | {', '.join(fmt(x) for x in v)} | {fmt(med[key])} |")
for key, v in sorted(redis.items()):
    med["redis-" + key] = statistics.median(v)
    lines.append(f"| Redis {key} XADD/s | {', '.join(fmt(x) for x in v)} | {fmt(med['redis-' + key])} |")
lines.append("")
lines.append("| ratio FastMQ ÷ Redis (produce msgs/s, medians) | value | goal ≥ 2 |")
lines.append("| --- | --- | --- |")
for fm, rd in (("produce-1k-none", "redis-xadd-1k"), ("produce-1k-lz4", "redis-xadd-1k"),
               ("produce-100b-none", "redis-xadd-100b"), ("produce-100b-lz4", "redis-xadd-100b")):
    if fm in med and rd in med and med[rd] > 0:
        ratio = med[fm] / med[rd]
        lines.append(f"| {fm} / {rd} | {ratio:.2f} | {'met' if ratio >= 2 else 'NOT met'} |")
lines.append("")
lines.append("| server CPU per message (µs; FastMQ broker process, redis-server) | runs | median |")
lines.append("| --- | --- | --- |")
for key, v in sorted(cost.items()):
    lines.append(f"| {key} | {', '.join(f'{x:.2f}' for x in v)} | {statistics.median(v):.2f} |")
p99 = med.get("e2e-20k-1kE2eFromIntended")
if p99 is not None:
    lines.append(f"| e2e p99 at 20,000 msg/s of 1 KiB (CO-corrected, median of runs) | {p99:.2f} ms | {'met' if p99 <= 2 else 'NOT met'} (≤ 2 ms) |")
text = "\n".join(lines)
open(os.path.join(out, "summary.md"), "w").write(text + "\n")
print(text)
PY
echo
echo "FastMQ vs Redis Streams vs NATS JetStream (FastMQ acks after the fsync (group commit); Redis and NATS ack before any fsync)" | tee -a "$OUT/summary.md"
dotnet "$PERF_DLL" ratio-table "$OUT" | tee -a "$OUT/summary.md"
echo "results in $OUT"
