#!/usr/bin/env python3
"""Broker-bound produce load for comparing FastMQ's network transports (docs/ARCHITECTURE.md, Network I/O).

Confluent.Kafka spends more CPU per message than the broker, so on a small machine it measures the client. This
driver builds one Produce v7 request (a RecordBatch of --records values of --size bytes, acks=1) once, then each
connection (one process per partition) keeps --depth copies in flight and only counts responses, so nearly all CPU
left on the machine goes to the broker.

    raw_produce.py --bootstrap 127.0.0.1:9092 --topic t --partitions 2 --seconds 10
The topic is auto-created by a Metadata request (start the broker with --num.partitions at least --partitions).
Prints msgs/s and the per-request latency percentiles.
"""
import argparse
import multiprocessing
import socket
import struct
import time


def crc32c(data: bytes) -> int:
    table = crc32c.table
    if table is None:
        table = []
        for i in range(256):
            c = i
            for _ in range(8):
                c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
            table.append(c)
        crc32c.table = table
    c = 0xFFFFFFFF
    for b in data:
        c = table[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


crc32c.table = None


def varint(n: int) -> bytes:
    n = (n << 1) ^ (n >> 63)  # zigzag
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def record_batch(count: int, size: int) -> bytes:
    value = bytes(i % 251 for i in range(size))
    records = bytearray()
    for i in range(count):
        body = b"\x00" + varint(0) + varint(i) + varint(-1) + varint(len(value)) + value + varint(0)
        records += varint(len(body)) + body
    now = int(time.time() * 1000)
    # attributes .. records: the part the CRC covers.
    tail = struct.pack(">hiqqqhii", 0, count - 1, now, now, -1, -1, -1, count) + bytes(records)
    crc = crc32c(tail)
    after_length = struct.pack(">ibI", 0, 2, crc) + tail  # partition leader epoch, magic, crc
    return struct.pack(">qi", 0, len(after_length)) + after_length


def produce_request(topic: str, partition: int, batch: bytes, correlation: int) -> bytes:
    name = topic.encode()
    body = struct.pack(">hhi", 0, 7, correlation) + struct.pack(">h", 4) + b"perf"
    body += struct.pack(">hhi", -1, 1, 30000)  # transactional id null, acks 1, timeout
    body += struct.pack(">ih", 1, len(name)) + name + struct.pack(">ii", 1, partition)
    body += struct.pack(">i", len(batch)) + batch
    return struct.pack(">i", len(body)) + body


def ensure_topic(args):
    host, port = args.bootstrap.split(":")
    name = args.topic.encode()
    body = struct.pack(">hhi", 3, 4, 1) + struct.pack(">h", 4) + b"perf"
    body += struct.pack(">ih", 1, len(name)) + name + b"\x01"  # one topic, allow auto-creation
    with socket.create_connection((host, int(port))) as s:
        s.sendall(struct.pack(">i", len(body)) + body)
        n = struct.unpack(">i", s.recv(4, socket.MSG_WAITALL))[0]
        s.recv(n, socket.MSG_WAITALL)
    time.sleep(0.5)


def run_connection(args, partition, result_queue):
    host, port = args.bootstrap.split(":")
    batch = record_batch(args.records, args.size)
    request = produce_request(args.topic, partition, batch, 0)
    s = socket.create_connection((host, int(port)))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sent_at = []
    latencies = []
    buf = bytearray()
    responses = 0
    start = time.perf_counter()
    deadline = start + args.seconds
    while True:
        now = time.perf_counter()
        while len(sent_at) - responses < args.depth and now < deadline:
            s.sendall(request)
            sent_at.append(now)
        if responses == len(sent_at):
            break
        data = s.recv(1 << 16)
        if not data:
            raise SystemExit("broker closed the connection")
        buf += data
        while len(buf) >= 4:
            n = struct.unpack_from(">i", buf)[0]
            if len(buf) < 4 + n:
                break
            error = struct.unpack_from(">h", buf, 4 + 4 + 4 + 2 + len(args.topic) + 4 + 4)[0]
            if error != 0:
                raise SystemExit(f"produce error code {error}")
            del buf[: 4 + n]
            latencies.append(time.perf_counter() - sent_at[responses])
            responses += 1
    elapsed = time.perf_counter() - start
    s.close()
    result_queue.put((responses * args.records, elapsed, latencies))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bootstrap", required=True)
    p.add_argument("--topic", required=True)
    p.add_argument("--partitions", type=int, default=2)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--records", type=int, default=64, help="records per request")
    p.add_argument("--size", type=int, default=1024, help="value bytes")
    p.add_argument("--depth", type=int, default=8, help="requests in flight per connection")
    args = p.parse_args()
    ensure_topic(args)
    q = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=run_connection, args=(args, i, q)) for i in range(args.partitions)]
    for pr in procs:
        pr.start()
    results = [q.get() for _ in procs]
    for pr in procs:
        pr.join()
    messages = sum(r[0] for r in results)
    elapsed = max(r[1] for r in results)
    lat = sorted(x for r in results for x in r[2])
    pct = lambda q_: lat[min(len(lat) - 1, int(q_ * len(lat)))] * 1000
    print(f"{messages / elapsed:,.0f} msg/s ({messages * args.size / elapsed / 2**20:,.1f} MiB/s) over {elapsed:.1f} s; "
          f"request latency p50 {pct(0.5):.2f} p99 {pct(0.99):.2f} p99.9 {pct(0.999):.2f} ms")


if __name__ == "__main__":
    main()
