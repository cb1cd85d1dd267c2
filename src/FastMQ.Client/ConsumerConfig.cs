using System;
using System.Collections.Generic;
using FastMQ.Client.Assignors;

namespace FastMQ.Client;

/// <summary>
/// Settings of a <see cref="Consumer"/>. Defaults follow Kafka's Java consumer; every setting also has its Kafka
/// property name, accepted by <see cref="ClientConfig.Set"/>.
/// </summary>
public sealed class ConsumerConfig : ClientConfig
{
    /// <summary>The consumer group (<c>group.id</c>); required for <see cref="Consumer.Subscribe(IEnumerable{string})"/> and commits.</summary>
    /// <remarks>Defaults to null (no group: only <see cref="Consumer.Assign(IEnumerable{TopicPartitionOffset})"/>).</remarks>
    public string? GroupId { get; set; }

    /// <summary>Static membership id (<c>group.instance.id</c>, KIP-345): a restart within the session timeout keeps the assignment.</summary>
    /// <remarks>Defaults to null (dynamic membership).</remarks>
    public string? GroupInstanceId { get; set; }

    /// <summary>Where to start without a committed offset or after OFFSET_OUT_OF_RANGE (<c>auto.offset.reset</c>).</summary>
    /// <remarks>Defaults to <see cref="AutoOffsetReset.Latest"/>.</remarks>
    public AutoOffsetReset AutoOffsetReset { get; set; } = AutoOffsetReset.Latest;

    /// <summary>
    /// Commit in the background of <see cref="Consumer.Consume(TimeSpan, out ConsumeRecord)"/> (<c>enable.auto.commit</c>): at most every
    /// <see cref="AutoCommitInterval"/>, the offsets of records already returned by earlier calls (at-least-once).
    /// </summary>
    /// <remarks>Defaults to true.</remarks>
    public bool EnableAutoCommit { get; set; } = true;

    /// <summary>Time between automatic commits (<c>auto.commit.interval.ms</c>).</summary>
    /// <remarks>Defaults to 5 seconds.</remarks>
    public TimeSpan AutoCommitInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time without heartbeats after which the coordinator removes the member (<c>session.timeout.ms</c>).</summary>
    /// <remarks>Defaults to 45 seconds.</remarks>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// Longest time between two <c>Consume</c> calls before the member leaves the group so that its partitions move
    /// (<c>max.poll.interval.ms</c>); also the rebalance timeout sent in JoinGroup.
    /// </summary>
    /// <remarks>Defaults to 300 seconds.</remarks>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Time between heartbeats to the group coordinator (<c>heartbeat.interval.ms</c>).</summary>
    /// <remarks>Defaults to 3 seconds.</remarks>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Assignors offered in JoinGroup, in order of preference (<c>partition.assignment.strategy</c>): comma-separated
    /// <c>range</c>, <c>roundrobin</c>, <c>cooperative-sticky</c> (Kafka's and librdkafka's names).
    /// </summary>
    /// <remarks>Defaults to <c>range</c>.</remarks>
    public string PartitionAssignmentStrategy { get; set; } = "range";

    /// <summary>
    /// Longest time the consumer goes without refreshing the metadata of its subscribed topics (<c>metadata.max.age.ms</c>).
    /// In a group, the leader compares the refreshed partition counts with those it assigned from and rejoins when a
    /// subscribed topic gained partitions, was deleted or was created, so that the new partitions get an owner; every
    /// member also moves partitions whose leader changed. Fetch errors that say the metadata is stale refresh at once.
    /// </summary>
    /// <remarks>Defaults to 300 seconds (5 minutes).</remarks>
    public TimeSpan MetadataMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Smallest response the broker should wait for before answering a Fetch (<c>fetch.min.bytes</c>).</summary>
    /// <remarks>Defaults to 1 byte.</remarks>
    public int FetchMinBytes { get; set; } = 1;

    /// <summary>Longest time the broker holds a Fetch waiting for <see cref="FetchMinBytes"/> (<c>fetch.max.wait.ms</c>).</summary>
    /// <remarks>Defaults to 500 ms.</remarks>
    public TimeSpan FetchMaxWait { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Soft limit on the data returned per partition in one Fetch (<c>max.partition.fetch.bytes</c>).</summary>
    /// <remarks>Defaults to 1 MiB.</remarks>
    public int MaxPartitionFetchBytes { get; set; } = 1024 * 1024;

    /// <summary>Soft limit on one Fetch response (<c>fetch.max.bytes</c>).</summary>
    /// <remarks>Defaults to 50 MiB.</remarks>
    public int FetchMaxBytes { get; set; } = 50 * 1024 * 1024;

    /// <summary>Which transactional records to read (<c>isolation.level</c>).</summary>
    /// <remarks>Defaults to <see cref="IsolationLevel.ReadUncommitted"/>.</remarks>
    public IsolationLevel IsolationLevel { get; set; } = IsolationLevel.ReadUncommitted;

    /// <inheritdoc/>
    protected override bool TrySet(string name, string value)
    {
        switch (name)
        {
            case "group.id":
                GroupId = value.Length == 0 ? null : value;
                return true;
            case "group.instance.id":
                GroupInstanceId = value.Length == 0 ? null : value;
                return true;
            case "auto.offset.reset":
                AutoOffsetReset = value switch
                {
                    "earliest" or "smallest" or "beginning" => AutoOffsetReset.Earliest,
                    "latest" or "largest" or "end" => AutoOffsetReset.Latest,
                    "none" or "error" => AutoOffsetReset.None,
                    _ => throw new ArgumentException(
                        $"'{value}' is not a valid value for '{name}' (expected earliest, latest or none)", name),
                };
                return true;
            case "enable.auto.commit":
                EnableAutoCommit = ParseBoolean(name, value);
                return true;
            case "auto.commit.interval.ms":
                AutoCommitInterval = ParseMilliseconds(name, value, 1, int.MaxValue);
                return true;
            case "session.timeout.ms":
                SessionTimeout = ParseMilliseconds(name, value, 1, int.MaxValue);
                return true;
            case "max.poll.interval.ms":
                MaxPollInterval = ParseMilliseconds(name, value, 1, int.MaxValue);
                return true;
            case "heartbeat.interval.ms":
                HeartbeatInterval = ParseMilliseconds(name, value, 1, int.MaxValue);
                return true;
            case "partition.assignment.strategy":
                _ = ParseStrategies(value);
                PartitionAssignmentStrategy = value;
                return true;
            case "metadata.max.age.ms":
                MetadataMaxAge = ParseMilliseconds(name, value, 1, int.MaxValue);
                return true;
            case "fetch.min.bytes":
                FetchMinBytes = ParseInt32(name, value, 0, int.MaxValue);
                return true;
            case "fetch.max.wait.ms":
                FetchMaxWait = ParseMilliseconds(name, value, 0, int.MaxValue);
                return true;
            case "max.partition.fetch.bytes":
                MaxPartitionFetchBytes = ParseInt32(name, value, 1, int.MaxValue);
                return true;
            case "fetch.max.bytes":
                FetchMaxBytes = ParseInt32(name, value, 1, int.MaxValue);
                return true;
            case "isolation.level":
                IsolationLevel = value switch
                {
                    "read_uncommitted" => IsolationLevel.ReadUncommitted,
                    "read_committed" => IsolationLevel.ReadCommitted,
                    _ => throw new ArgumentException(
                        $"'{value}' is not a valid value for '{name}' (expected read_uncommitted or read_committed)", name),
                };
                return true;
            default:
                return false;
        }
    }

    /// <inheritdoc/>
    protected override void Validate()
    {
        base.Validate();
        _ = ParseStrategies(PartitionAssignmentStrategy ?? "");
        if (GroupInstanceId is not null && GroupId is null)
        {
            throw new ArgumentException("group.instance.id needs a group.id", "group.instance.id");
        }
        if (HeartbeatInterval <= TimeSpan.Zero || HeartbeatInterval >= SessionTimeout)
        {
            throw new ArgumentException(
                $"heartbeat.interval.ms ({HeartbeatInterval.TotalMilliseconds}) must be positive and below session.timeout.ms ({SessionTimeout.TotalMilliseconds})",
                "heartbeat.interval.ms");
        }
        if (MetadataMaxAge <= TimeSpan.Zero || MetadataMaxAge.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentException(
                $"metadata.max.age.ms ({MetadataMaxAge.TotalMilliseconds}) must be between 1 and {int.MaxValue}", "metadata.max.age.ms");
        }
        if (FetchMaxWait >= RequestTimeout)
        {
            throw new ArgumentException(
                $"fetch.max.wait.ms ({FetchMaxWait.TotalMilliseconds}) must be below request.timeout.ms ({RequestTimeout.TotalMilliseconds})",
                "fetch.max.wait.ms");
        }
        if (MaxPartitionFetchBytes <= 0 || FetchMaxBytes <= 0 || FetchMinBytes < 0)
        {
            throw new ArgumentException("fetch sizes must be positive", "fetch.max.bytes");
        }
    }

    /// <summary>Validates everything and returns the assignors, in preference order.</summary>
    internal List<PartitionAssignor> ValidateAndGetAssignors()
    {
        Validate();
        return ParseStrategies(PartitionAssignmentStrategy);
    }

    private static List<PartitionAssignor> ParseStrategies(string value)
    {
        var result = new List<PartitionAssignor>();
        foreach (string part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            PartitionAssignor assignor;
            try
            {
                assignor = PartitionAssignor.ForName(part);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException(e.Message, "partition.assignment.strategy", e);
            }
            foreach (PartitionAssignor existing in result)
            {
                if (existing.Name == assignor.Name)
                {
                    throw new ArgumentException($"partition.assignment.strategy lists '{part}' twice", "partition.assignment.strategy");
                }
            }
            result.Add(assignor);
        }
        if (result.Count == 0)
        {
            throw new ArgumentException("partition.assignment.strategy names no assignor", "partition.assignment.strategy");
        }
        return result;
    }
}
