using System;
using System.Collections.Generic;
using FastMQ.Protocol.Messages;

namespace FastMQ.Broker.Groups;

/// <summary>
/// One member of a classic group, as the coordinator sees it: identity, timeouts, the protocols (assignors) it offered
/// with their opaque metadata, the assignment bytes the leader gave it, and the requests it has parked. Group shard only.
/// </summary>
internal sealed class GroupMember
{
    public GroupMember(string memberId, string? instanceId, string clientId, string clientHost)
    {
        MemberId = memberId;
        InstanceId = instanceId;
        ClientId = clientId;
        ClientHost = clientHost;
    }

    public string MemberId { get; set; }

    /// <summary>group.instance.id of a static member (KIP-345), else null.</summary>
    public string? InstanceId { get; }

    public string ClientId { get; set; }

    public string ClientHost { get; set; }

    public int SessionTimeoutMs { get; set; }

    public int RebalanceTimeoutMs { get; set; }

    public string ProtocolType { get; set; } = "";

    /// <summary>Offered assignors in the member's order of preference.</summary>
    public List<JoinGroupRequest.Protocol> Protocols { get; set; } = [];

    /// <summary>What the leader assigned this member in the current generation (relayed untouched).</summary>
    public byte[] Assignment { get; set; } = [];

    /// <summary>Its JoinGroup, held while the group prepares a rebalance.</summary>
    public ParkedRequest? Join { get; set; }

    /// <summary>Its SyncGroup, held until the leader's SyncGroup arrives.</summary>
    public ParkedRequest? Sync { get; set; }

    /// <summary>Monotonic time of its last request: the session expires SessionTimeoutMs after it.</summary>
    public long LastSeenMs { get; set; }

    public bool IsStatic => InstanceId is not null;

    /// <summary>The metadata offered for <paramref name="protocol"/>, or empty.</summary>
    public byte[] MetadataFor(string? protocol)
    {
        foreach (JoinGroupRequest.Protocol p in Protocols)
        {
            if (p.Name == protocol)
            {
                return p.Metadata;
            }
        }
        return [];
    }

    public bool Supports(string protocol)
    {
        foreach (JoinGroupRequest.Protocol p in Protocols)
        {
            if (p.Name == protocol)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Same assignors with the same metadata bytes (a re-join with these needs no rebalance).</summary>
    public bool SameProtocols(List<JoinGroupRequest.Protocol> other)
    {
        if (other.Count != Protocols.Count)
        {
            return false;
        }
        for (int i = 0; i < other.Count; i++)
        {
            if (other[i].Name != Protocols[i].Name || !other[i].Metadata.AsSpan().SequenceEqual(Protocols[i].Metadata))
            {
                return false;
            }
        }
        return true;
    }
}
