using System;
using System.Collections.Generic;

namespace FastMQ.Broker.Configuration;

/// <summary>
/// Every setting FastMQ knows. Names follow Kafka's broker properties where Kafka has one; FastMQ's own start with
/// <c>fastmq.</c> or are marked as such. Keep in sync with README.md (Configuration) and DescribeConfigs.
/// </summary>
public static class BrokerSettings
{
    private const long MaxLong = long.MaxValue;

    public static readonly IReadOnlyList<BrokerSetting> All =
    [
        new("node.id", "1", "Broker id in metadata (alias: broker.id).", v => L("node.id", v, 0, int.MaxValue)),
        new("listeners", "PLAINTEXT://localhost:9092", "Comma-separated listeners, e.g. PLAINTEXT://0.0.0.0:9092.", v => v),
        new("advertised.listeners", "", "Addresses given to clients in metadata; defaults to listeners.", v => v),
        new("log.dirs", "./fastmq-data", "Data directory (alias: log.dir); created on first start.", v => v),
        new("num.partitions", "1", "Partitions of auto-created topics and of CreateTopics with -1.", v => L("num.partitions", v, 1, 100_000)),
        new("default.replication.factor", "1", "Replication factor of new topics (a single node supports 1).", v => L("default.replication.factor", v, 1, 1)),
        new("auto.create.topics.enable", "true", "Create a topic when a client's Metadata request asks for it.", v => BrokerSetting.ParseBool("auto.create.topics.enable", v)),
        new("delete.topic.enable", "true", "Allow DeleteTopics.", v => BrokerSetting.ParseBool("delete.topic.enable", v)),
        new("log.segment.bytes", "1073741824", "Segment size; segments are preallocated to it.", v => L("log.segment.bytes", v, 65536, int.MaxValue), "segment.bytes"),
        new("log.roll.ms", "604800000", "Roll a segment once it is this old.", v => L("log.roll.ms", v, 1, MaxLong), "segment.ms"),
        new("log.retention.ms", "604800000", "Delete segments older than this; -1 keeps them.", v => L("log.retention.ms", v, -1, MaxLong), "retention.ms"),
        new("log.retention.bytes", "-1", "Delete the oldest segments while a partition is larger; -1 = no limit.", v => L("log.retention.bytes", v, -1, MaxLong), "retention.bytes"),
        new("log.retention.check.interval.ms", "300000", "How often retention runs.", v => L("log.retention.check.interval.ms", v, 1, MaxLong)),
        new("message.max.bytes", "1048588", "Largest record batch accepted.", v => L("message.max.bytes", v, 1024, int.MaxValue), "max.message.bytes"),
        new("log.flush.policy", "group", "FastMQ: fsync = fsync before each acknowledgement; group = group commit (acks wait for the covering fsync); none = no fsync.", v => BrokerSetting.ParseChoice("log.flush.policy", v, "fsync", "group", "none"), "flush.policy"),
        new("log.flush.interval.ms", "2", "Group commit: fsync at most this long after the first unflushed append.", v => L("log.flush.interval.ms", v, 0, MaxLong), "flush.ms"),
        new("log.flush.interval.bytes", "4194304", "FastMQ: group commit also fsyncs once this many bytes are unflushed.", v => L("log.flush.interval.bytes", v, 4096, MaxLong), "flush.bytes"),
        new("log.message.timestamp.type", "CreateTime", "CreateTime keeps the producer's timestamps; LogAppendTime stamps batches on append.", v => BrokerSetting.ParseChoice("log.message.timestamp.type", v, "CreateTime", "LogAppendTime"), "message.timestamp.type"),
        new("log.cleanup.policy", "delete", "Only delete is supported for user topics so far.", v => BrokerSetting.ParseChoice("log.cleanup.policy", v, "delete"), "cleanup.policy"),
        new("socket.request.max.bytes", "104857600", "Largest request frame; larger frames close the connection before any buffer is allocated.", v => L("socket.request.max.bytes", v, 1024, int.MaxValue)),
        new("group.initial.rebalance.delay.ms", "3000", "How long the first rebalance of an empty group waits for more members to join.", v => L("group.initial.rebalance.delay.ms", v, 0, int.MaxValue)),
        new("group.min.session.timeout.ms", "6000", "Smallest session timeout a group member may ask for (else INVALID_SESSION_TIMEOUT).", v => L("group.min.session.timeout.ms", v, 1, int.MaxValue)),
        new("group.max.session.timeout.ms", "1800000", "Largest session timeout a group member may ask for (else INVALID_SESSION_TIMEOUT).", v => L("group.max.session.timeout.ms", v, 1, int.MaxValue)),
        new("offsets.topic.num.partitions", "8", "Partitions of __consumer_offsets, fixed when the topic is first created.", v => L("offsets.topic.num.partitions", v, 1, 1000)),
        new("offsets.topic.segment.bytes", "16777216", "Segment size of __consumer_offsets (preallocated per partition); compaction drops whole segments below a snapshot of the live offsets.", v => L("offsets.topic.segment.bytes", v, 65536, int.MaxValue)),
        new("offsets.retention.minutes", "10080", "Committed offsets of a group without members expire this long after their commit.", v => L("offsets.retention.minutes", v, 1, int.MaxValue)),
        new("offset.metadata.max.bytes", "4096", "Longest metadata string an offset commit may carry (else OFFSET_METADATA_TOO_LARGE).", v => L("offset.metadata.max.bytes", v, 0, int.MaxValue)),
        new("fastmq.shards", "0", "FastMQ: shard threads (one pinned per core); 0 = one per available core.", v => L("fastmq.shards", v, 0, 1024)),
        new("fastmq.io.backend", "auto", "FastMQ: auto (io_uring, else pwrite), io_uring, or pwrite.", v => BrokerSetting.ParseChoice("fastmq.io.backend", v, "auto", "io_uring", "pwrite")),
        new("fastmq.network.backend", "io_uring", "FastMQ: io_uring (each shard drives its sockets through its own ring, SO_REUSEPORT listeners; falls back to sockets when unavailable unless set explicitly) or sockets (.NET sockets hand frames to the shards).", v => BrokerSetting.ParseChoice("fastmq.network.backend", v, "sockets", "io_uring")),
        new("fastmq.tail.cache.bytes", "1048576", "FastMQ: per-partition in-memory tail cache (the O_DIRECT write buffer) serving the newest data.", v => L("fastmq.tail.cache.bytes", v, 65536, int.MaxValue)),
        new("fastmq.metrics.port", "9464", "FastMQ: port of the Prometheus /metrics endpoint; 0 = no endpoint. If the default port is taken the broker runs without it (warning); an explicitly set port that cannot be bound fails start-up.", v => L("fastmq.metrics.port", v, 0, 65535)),
        new("fastmq.metrics.host", "127.0.0.1", "FastMQ: address the /metrics endpoint binds: 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or a host name.", v => v),
        new("fastmq.shard.idle.spins", "0", "FastMQ: loop turns an idle shard spins before it sleeps; worth raising only when the broker has cores to itself (spinning takes the CPU that clients on the same cores need).", v => L("fastmq.shard.idle.spins", v, 0, 1_000_000)),
        new("fastmq.shard.idle.yields", "0", "FastMQ: loop turns an idle shard yields (sched_yield) after spinning, before it sleeps.", v => L("fastmq.shard.idle.yields", v, 0, 1_000_000)),
        new("fastmq.shard.idle.wait.us", "1000", "FastMQ: longest sleep of an idle shard on the io_uring transport; network and storage completions, cross-shard messages, timers and group-commit deadlines end it earlier (the sockets transport parks 1 ms at most).", v => L("fastmq.shard.idle.wait.us", v, 1, 1_000_000)),
        new("fastmq.shard.stall.threshold.ms", "500", "FastMQ: a shard whose loop turn runs longer than this is logged as stalled (once per stall, with what it was doing) and counted; 0 = no stall detector.", v => L("fastmq.shard.stall.threshold.ms", v, 0, int.MaxValue)),
    ];

    /// <summary>Old or alternative Kafka names accepted for a setting.</summary>
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["broker.id"] = "node.id",
        ["log.dir"] = "log.dirs",
        ["log.retention.hours"] = "log.retention.ms",
        ["log.retention.minutes"] = "log.retention.ms",
        ["log.roll.hours"] = "log.roll.ms",
        ["io.backend"] = "fastmq.io.backend",
    };

    private static object L(string name, string value, long min, long max) => BrokerSetting.ParseLong(name, value, min, max);

    public static BrokerSetting? Find(string name)
    {
        foreach (BrokerSetting s in All)
        {
            if (s.Name == name)
            {
                return s;
            }
        }
        return null;
    }

    public static BrokerSetting? FindByTopicName(string topicName)
    {
        foreach (BrokerSetting s in All)
        {
            if (s.TopicName == topicName)
            {
                return s;
            }
        }
        return null;
    }
}
