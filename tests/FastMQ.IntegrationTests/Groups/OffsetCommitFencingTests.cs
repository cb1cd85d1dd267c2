using System;
using System.Linq;
using FastMQ.IntegrationTests.Hardening;
using FastMQ.IntegrationTests.Support;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using Xunit;

namespace FastMQ.IntegrationTests.Groups;

/// <summary>
/// OffsetCommit fencing of the classic group protocol, driven step by step over raw connections so every group state is
/// reached deterministically: which commits the coordinator accepts and which error codes it answers, as Kafka's
/// ClassicGroup.validateOffsetCommit does (kafka-protocol.md §5.2, §5.4).
/// </summary>
public sealed class OffsetCommitFencingTests
{
    private const string Group = "g-fence";
    private const string Topic = "fence";
    private const short JoinVersion = 5;
    private const short SyncVersion = 3;
    private const short CommitVersion = 7;
    private const short FetchVersion = 9;

    private int _correlationId;

    [Fact]
    public void CommitsAreCheckedAgainstMemberGenerationAndRebalancePhaseButNotPartitionOwnership()
    {
        // Goal: a commit is accepted only from a current member with the current generation (ILLEGAL_GENERATION for a
        // stale one, UNKNOWN_MEMBER_ID for a stranger or a standalone commit into a non-empty group), still while the
        // group prepares a rebalance, refused with REBALANCE_IN_PROGRESS while it waits for SyncGroup; like Kafka, the
        // coordinator does not check which member owns a partition (so a member must never commit a partition that was
        // revoked from it), and after a restart the restored generation and the newest commits still hold. Method: two
        // members on raw connections walk the group through Stable → PreparingRebalance → CompletingRebalance → Stable,
        // committing at each step; OffsetFetch reads back the results before and after a graceful restart.
        using var broker = new BrokerProcess(GroupTestSupport.BrokerArgs());
        KafkaClients.CreateTopic(broker.BootstrapServers, Topic, 2);
        using var a = new RawKafkaConnection(broker.Port);
        using var b = new RawKafkaConnection(broker.Port);

        // Generation 1: a alone, Stable once its (leader) SyncGroup is stored.
        string memberA = JoinForMemberId(a);
        JoinGroupResponse joinA = ReceiveJoin(a, SendJoin(a, memberA));
        Assert.Equal((ErrorCode.None, 1, memberA), (joinA.ErrorCode, joinA.GenerationId, joinA.Leader));
        Assert.Equal(ErrorCode.None, ReceiveSync(a, SendSync(a, memberA, 1, (memberA, [0, 1]))).ErrorCode);

        Assert.Equal(ErrorCode.None, Commit(a, memberA, 1, 0, 10));
        Assert.Equal(ErrorCode.IllegalGeneration, Commit(a, memberA, 0, 0, 11));
        Assert.Equal(ErrorCode.UnknownMemberId, Commit(a, "stranger-1", 1, 0, 12));
        Assert.Equal(ErrorCode.UnknownMemberId, Commit(a, "", -1, 0, 13));
        Assert.Equal(10, FetchCommitted(a, 0));

        // b joins: PreparingRebalance. a has not re-joined yet and may still commit with generation 1.
        string memberB = JoinForMemberId(b);
        int joinB = SendJoin(b, memberB);
        Assert.Equal(ErrorCode.None, Commit(a, memberA, 1, 0, 20));
        Assert.Equal(20, FetchCommitted(a, 0));

        // a re-joins: generation 2 is formed and waits for the leader's SyncGroup (CompletingRebalance).
        JoinGroupResponse rejoinA = ReceiveJoin(a, SendJoin(a, memberA));
        JoinGroupResponse joinedB = ReceiveJoin(b, joinB);
        Assert.Equal((ErrorCode.None, 2, memberA), (rejoinA.ErrorCode, rejoinA.GenerationId, rejoinA.Leader));
        Assert.Equal((ErrorCode.None, 2), (joinedB.ErrorCode, joinedB.GenerationId));
        Assert.Equal(ErrorCode.RebalanceInProgress, Commit(a, memberA, 2, 0, 21));
        Assert.Equal(ErrorCode.IllegalGeneration, Commit(a, memberA, 1, 0, 22));
        Assert.Equal(ErrorCode.IllegalGeneration, Commit(b, memberB, 1, 1, 23));
        Assert.Equal(20, FetchCommitted(a, 0));

        // Generation 2 Stable: a owns partition 0, b partition 1.
        int syncB = SendSync(b, memberB, 2);
        Assert.Equal(ErrorCode.None, ReceiveSync(a, SendSync(a, memberA, 2, (memberA, [0]), (memberB, [1]))).ErrorCode);
        Assert.Equal(ErrorCode.None, ReceiveSync(b, syncB).ErrorCode);
        Assert.Equal(ErrorCode.None, Commit(b, memberB, 2, 1, 30));
        // No ownership check (Kafka has none either): a's commit of b's partition 1 is accepted and wins.
        Assert.Equal(ErrorCode.None, Commit(a, memberA, 2, 1, 40));
        Assert.Equal((20L, 40L), (FetchCommitted(a, 0), FetchCommitted(b, 1)));

        // A restart restores generation 2 and the newest commits.
        Assert.Equal(0, broker.StopGracefully());
        broker.Start();
        using var a2 = new RawKafkaConnection(broker.Port);
        Assert.Equal((20L, 40L), (FetchCommitted(a2, 0), FetchCommitted(a2, 1)));
        Assert.Equal(ErrorCode.IllegalGeneration, Commit(a2, memberA, 1, 0, 50));
        Assert.Equal(ErrorCode.None, Commit(a2, memberA, 2, 0, 51));
        Assert.Equal(51, FetchCommitted(a2, 0));
    }

    private int Next() => ++_correlationId;

    /// <summary>JoinGroup v4+ without a member id: the coordinator hands one out with MEMBER_ID_REQUIRED.</summary>
    private string JoinForMemberId(RawKafkaConnection c)
    {
        JoinGroupResponse r = ReceiveJoin(c, SendJoin(c, ""));
        Assert.Equal(ErrorCode.MemberIdRequired, r.ErrorCode);
        Assert.NotEmpty(r.MemberId);
        return r.MemberId;
    }

    private int SendJoin(RawKafkaConnection c, string memberId)
    {
        int id = Next();
        var subscription = new ConsumerProtocolSubscription();
        subscription.Topics.Add(Topic);
        var request = new JoinGroupRequest
        {
            GroupId = Group,
            SessionTimeoutMs = 30_000,
            RebalanceTimeoutMs = 30_000,
            MemberId = memberId,
            ProtocolType = "consumer",
        };
        request.Protocols.Add(new JoinGroupRequest.Protocol { Name = "range", Metadata = subscription.Encode(0) });
        c.Send(Frame(ApiKey.JoinGroup, JoinVersion, id, (ref KafkaWriter w) => request.Write(ref w, JoinVersion)));
        return id;
    }

    private static JoinGroupResponse ReceiveJoin(RawKafkaConnection c, int correlationId)
    {
        var reader = Body(c.ReceiveFrame(), ApiKey.JoinGroup, JoinVersion, correlationId);
        return JoinGroupResponse.Read(ref reader, JoinVersion);
    }

    private int SendSync(RawKafkaConnection c, string memberId, int generation, params (string Member, int[] Partitions)[] assignments)
    {
        int id = Next();
        var request = new SyncGroupRequest { GroupId = Group, GenerationId = generation, MemberId = memberId };
        foreach ((string member, int[] partitions) in assignments)
        {
            var assignment = new ConsumerProtocolAssignment();
            assignment.AssignedPartitions.Add(new ConsumerProtocolTopicPartitions { Topic = Topic, Partitions = partitions });
            request.Assignments.Add(new SyncGroupRequest.Assignment { MemberId = member, Data = assignment.Encode(0) });
        }
        c.Send(Frame(ApiKey.SyncGroup, SyncVersion, id, (ref KafkaWriter w) => request.Write(ref w, SyncVersion)));
        return id;
    }

    private static SyncGroupResponse ReceiveSync(RawKafkaConnection c, int correlationId)
    {
        var reader = Body(c.ReceiveFrame(), ApiKey.SyncGroup, SyncVersion, correlationId);
        return SyncGroupResponse.Read(ref reader, SyncVersion);
    }

    /// <summary>Commits one partition and returns its error code.</summary>
    private ErrorCode Commit(RawKafkaConnection c, string memberId, int generation, int partition, long offset)
    {
        int id = Next();
        var request = new OffsetCommitRequest { GroupId = Group, GenerationIdOrMemberEpoch = generation, MemberId = memberId };
        var topic = new OffsetCommitRequest.Topic { Name = Topic };
        topic.Partitions.Add(new OffsetCommitRequest.Partition { PartitionIndex = partition, CommittedOffset = offset });
        request.Topics.Add(topic);
        byte[] frame = c.RoundTrip(Frame(ApiKey.OffsetCommit, CommitVersion, id, (ref KafkaWriter w) => request.Write(ref w, CommitVersion)));
        var reader = Body(frame, ApiKey.OffsetCommit, CommitVersion, id);
        OffsetCommitResponse response = OffsetCommitResponse.Read(ref reader, CommitVersion);
        return response.Topics.Single().Partitions.Single().ErrorCode;
    }

    /// <summary>The group's committed offset of one partition (-1 when none), read as librdkafka 2.16 does (v9, RequireStable).</summary>
    private long FetchCommitted(RawKafkaConnection c, int partition)
    {
        int id = Next();
        var request = new OffsetFetchRequest { RequireStable = true };
        request.Groups.Add(new OffsetFetchRequest.Group
        {
            GroupId = Group,
            Topics = [new OffsetFetchRequest.Topic { Name = Topic, PartitionIndexes = [partition] }],
        });
        byte[] frame = c.RoundTrip(Frame(ApiKey.OffsetFetch, FetchVersion, id, (ref KafkaWriter w) => request.Write(ref w, FetchVersion)));
        var reader = Body(frame, ApiKey.OffsetFetch, FetchVersion, id);
        OffsetFetchResponse.Group group = OffsetFetchResponse.Read(ref reader, FetchVersion).Groups.Single();
        Assert.Equal(ErrorCode.None, group.ErrorCode);
        OffsetFetchResponse.Partition p = group.Topics.Single().Partitions.Single();
        Assert.Equal(ErrorCode.None, p.ErrorCode);
        return p.CommittedOffset;
    }

    /// <summary>A whole request frame; header v2 where the version is flexible (the group APIs are in WithGroups).</summary>
    private static byte[] Frame(ApiKey key, short version, int correlationId, KafkaRequests.BodyWriter body)
    {
        var writer = KafkaWriter.CreatePooled();
        try
        {
            int slot = writer.BeginSizePrefix();
            RequestHeader.Write(ref writer, key, version, correlationId, KafkaRequests.ClientId, ApiVersionsTable.WithGroups.IsFlexible(key, version));
            body(ref writer);
            writer.EndSizePrefix(slot);
            return writer.Written.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }

    private static KafkaReader Body(byte[] frame, ApiKey key, short version, int correlationId)
    {
        var reader = new KafkaReader(frame);
        Assert.Equal(correlationId, ResponseHeader.Read(ref reader, ResponseHeader.IsFlexible(key, version, ApiVersionsTable.WithGroups)));
        return new KafkaReader(frame.AsSpan(reader.Position));
    }
}
