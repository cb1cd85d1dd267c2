using System.Collections.Generic;

namespace FastMQ.Client.Assignors;

/// <summary>
/// One group member as the leader's assignor sees it: its ids and the decoded ConsumerProtocol subscription.
/// </summary>
/// <param name="MemberId">The coordinator-given member id.</param>
/// <param name="GroupInstanceId">The static member id (group.instance.id), or null.</param>
/// <param name="Topics">Subscribed topics.</param>
/// <param name="OwnedPartitions">Partitions the member owned before this rebalance (cooperative protocol; v1+).</param>
/// <param name="GenerationId">The generation in which it owned them; -1 when unknown.</param>
internal sealed record AssignorMember(
    string MemberId,
    string? GroupInstanceId,
    IReadOnlyList<string> Topics,
    IReadOnlyList<TopicPartition> OwnedPartitions,
    int GenerationId);
