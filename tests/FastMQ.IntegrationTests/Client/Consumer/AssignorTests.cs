using System.Collections.Generic;
using System.Linq;
using FastMQ.Client;
using FastMQ.Client.Assignors;
using Xunit;

namespace FastMQ.IntegrationTests.Client.Consumer;

public class AssignorTests
{
    private static AssignorMember M(string id, params string[] topics) => new(id, null, topics, [], -1);

    private static AssignorMember Owner(string id, int generation, string topic, params int[] owned) =>
        new(id, null, [topic], [.. owned.Select(p => new TopicPartition(topic, p))], generation);

    private static string Show(List<TopicPartition> list) => string.Join(",", list.Select(tp => $"{tp.Topic}{tp.Partition}"));

    [Fact]
    public void Range_ThreeMembersSevenPartitions_Gives3_2_2InMemberIdOrder()
    {
        // Goal: Kafka's range outcome (Java RangeAssignor javadoc arithmetic). Method: members given out of order.
        var result = new RangeAssignor().Assign(new Dictionary<string, int> { ["t"] = 7 },
            [M("member-c", "t"), M("member-a", "t"), M("member-b", "t")]);
        Assert.Equal("t0,t1,t2", Show(result["member-a"]));
        Assert.Equal("t3,t4", Show(result["member-b"]));
        Assert.Equal("t5,t6", Show(result["member-c"]));
    }

    [Fact]
    public void Range_TwoTopics_RangesPerTopic()
    {
        // Goal: the Java javadoc example (C0, C1; t0 and t1 with 3 partitions). Method: compare with its published result.
        var result = new RangeAssignor().Assign(new Dictionary<string, int> { ["t0"] = 3, ["t1"] = 3 },
            [M("C1", "t0", "t1"), M("C0", "t0", "t1")]);
        Assert.Equal("t00,t01,t10,t11", Show(result["C0"]));
        Assert.Equal("t02,t12", Show(result["C1"]));
    }

    [Fact]
    public void RoundRobin_EqualSubscriptions_MatchesJavaExample()
    {
        // Goal: the Java RoundRobinAssignor javadoc example. Method: two members, two 3-partition topics.
        var result = new RoundRobinAssignor().Assign(new Dictionary<string, int> { ["t0"] = 3, ["t1"] = 3 },
            [M("C0", "t0", "t1"), M("C1", "t0", "t1")]);
        Assert.Equal("t00,t02,t11", Show(result["C0"]));
        Assert.Equal("t01,t10,t12", Show(result["C1"]));
    }

    [Fact]
    public void RoundRobin_UnequalSubscriptions_MatchesJavaExample()
    {
        // Goal: the javadoc's unequal-subscription example (t0:1, t1:2, t2:3 partitions). Method: compare results.
        var result = new RoundRobinAssignor().Assign(new Dictionary<string, int> { ["t0"] = 1, ["t1"] = 2, ["t2"] = 3 },
            [M("C0", "t0"), M("C1", "t0", "t1"), M("C2", "t0", "t1", "t2")]);
        Assert.Equal("t00", Show(result["C0"]));
        Assert.Equal("t10", Show(result["C1"]));
        Assert.Equal("t11,t20,t21,t22", Show(result["C2"]));
    }

    [Fact]
    public void MemberOrder_StaticMembersFirstByInstanceId()
    {
        // Goal: Kafka's MemberInfo order (static by group.instance.id, then dynamic by member id). Method: range over 3 partitions.
        var result = new RangeAssignor().Assign(new Dictionary<string, int> { ["t"] = 3 },
        [
            new AssignorMember("a-dynamic", null, ["t"], [], -1),
            new AssignorMember("z-member", "instance-1", ["t"], [], -1),
            new AssignorMember("y-member", "instance-2", ["t"], [], -1),
        ]);
        Assert.Equal("t0", Show(result["z-member"]));
        Assert.Equal("t1", Show(result["y-member"]));
        Assert.Equal("t2", Show(result["a-dynamic"]));
    }

    [Fact]
    public void CooperativeSticky_Join_RevokesOnlyWhatMoves_ThenAssignsIt()
    {
        // Goal: minimal movement and KIP-429's two phases when a 4th member joins 3 owners of 6 partitions.
        // Method: phase 1 with owned partitions, check revocations; phase 2 with the new ownership, check the result.
        var assignor = new CooperativeStickyAssignor();
        var counts = new Dictionary<string, int> { ["t"] = 6 };
        var phase1 = assignor.Assign(counts,
            [Owner("m1", 5, "t", 0, 1), Owner("m2", 5, "t", 2, 3), Owner("m3", 5, "t", 4, 5), M("m4", "t")]);
        var before = new Dictionary<string, int[]> { ["m1"] = [0, 1], ["m2"] = [2, 3], ["m3"] = [4, 5] };
        int revoked = 0;
        foreach ((string member, int[] owned) in before)
        {
            var kept = phase1[member].Select(tp => tp.Partition).ToList();
            Assert.All(kept, p => Assert.Contains(p, owned)); // nobody gains a partition another member still owns
            revoked += owned.Length - kept.Count;
        }
        Assert.Equal(1, revoked);
        Assert.Empty(phase1["m4"]); // the moved partition is only revoked in phase 1

        var phase2 = assignor.Assign(counts,
        [
            new AssignorMember("m1", null, ["t"], phase1["m1"], 6),
            new AssignorMember("m2", null, ["t"], phase1["m2"], 6),
            new AssignorMember("m3", null, ["t"], phase1["m3"], 6),
            new AssignorMember("m4", null, ["t"], [], 6),
        ]);
        Assert.Single(phase2["m4"]);
        foreach (string m in new[] { "m1", "m2", "m3" })
        {
            Assert.Equal(phase1[m], phase2[m]); // phase 2 moves nothing else
        }
        var all = phase2.Values.SelectMany(l => l).Select(tp => tp.Partition).OrderBy(p => p).ToList();
        Assert.Equal([0, 1, 2, 3, 4, 5], all);
        Assert.Equal([1, 1, 2, 2], phase2.Values.Select(l => l.Count).OrderBy(c => c).ToArray());
    }

    [Fact]
    public void CooperativeSticky_Leave_KeepsEveryRemainingOwner()
    {
        // Goal: when a member leaves, the others keep all they own and share the orphans. Method: 3 owners → 2.
        var result = new CooperativeStickyAssignor().Assign(new Dictionary<string, int> { ["t"] = 6 },
            [Owner("m1", 5, "t", 0, 1), Owner("m3", 5, "t", 4, 5)]);
        Assert.Contains(new TopicPartition("t", 0), result["m1"]);
        Assert.Contains(new TopicPartition("t", 1), result["m1"]);
        Assert.Contains(new TopicPartition("t", 4), result["m3"]);
        Assert.Contains(new TopicPartition("t", 5), result["m3"]);
        Assert.Equal(3, result["m1"].Count);
        Assert.Equal(3, result["m3"].Count);
    }

    [Fact]
    public void CooperativeSticky_ConflictingClaims_HigherGenerationWins_TieGoesToNobodyFirst()
    {
        // Goal: Kafka's rule for partitions two members claim. Method: a stale claim (older generation) and a tie.
        var assignor = new CooperativeStickyAssignor();
        var counts = new Dictionary<string, int> { ["t"] = 2 };
        var result = assignor.Assign(counts, [Owner("old", 3, "t", 0), Owner("new", 4, "t", 0, 1)]);
        // "new" keeps t0 (higher generation) but must give one partition up for balance: it is revoked now.
        Assert.DoesNotContain(new TopicPartition("t", 0), result["old"]);
        var tie = assignor.Assign(counts, [Owner("a", 4, "t", 0), Owner("b", 4, "t", 0)]);
        // Neither keeps a contested partition as "owned", so it can be assigned directly: both get one.
        Assert.Single(tie["a"]);
        Assert.Single(tie["b"]);
    }

    [Fact]
    public void ConsumerProtocol_RoundTrips_SubscriptionAndAssignment()
    {
        // Goal: the embedded ConsumerProtocol byte strings decode to what was encoded. Method: encode, decode, compare.
        byte[] subscription = ConsumerProtocolCodec.EncodeSubscription(["a", "b"], [new TopicPartition("a", 2)], 7,
            new CooperativeStickyAssignor().SubscriptionUserData(7));
        AssignorMember member = ConsumerProtocolCodec.DecodeMember("m", "i", subscription);
        Assert.Equal(["a", "b"], member.Topics);
        Assert.Equal([new TopicPartition("a", 2)], member.OwnedPartitions);
        Assert.Equal(7, member.GenerationId);
        Assert.Equal("i", member.GroupInstanceId);
        byte[] assignment = ConsumerProtocolCodec.EncodeAssignment([new TopicPartition("b", 1), new TopicPartition("a", 0)]);
        Assert.Equal([new TopicPartition("a", 0), new TopicPartition("b", 1)], ConsumerProtocolCodec.DecodeAssignment(assignment));
        Assert.Empty(ConsumerProtocolCodec.DecodeAssignment([]));
    }

    [Fact]
    public void ForName_KnowsKafkaNames_RejectsOthers()
    {
        // Goal: the strategy names match Kafka's; unknown ones fail clearly. Method: look up each.
        Assert.Equal("range", PartitionAssignor.ForName("range").Name);
        Assert.Equal("roundrobin", PartitionAssignor.ForName("roundrobin").Name);
        Assert.Equal(RebalanceProtocol.Cooperative, PartitionAssignor.ForName("cooperative-sticky").Protocol);
        var e = Assert.Throws<System.ArgumentException>(() => PartitionAssignor.ForName("sticky-ish"));
        Assert.Contains("sticky-ish", e.Message, System.StringComparison.Ordinal);
    }
}
