using System;
using System.Collections.Generic;
using FastMQ.Client.Assignors;

namespace FastMQ.Client.Consuming;

/// <summary>The group-membership settings of a consumer (from <see cref="ConsumerConfig"/>).</summary>
internal sealed record GroupSettings(
    string GroupId,
    string? GroupInstanceId,
    TimeSpan SessionTimeout,
    TimeSpan RebalanceTimeout,
    TimeSpan HeartbeatInterval,
    IReadOnlyList<PartitionAssignor> Assignors);
