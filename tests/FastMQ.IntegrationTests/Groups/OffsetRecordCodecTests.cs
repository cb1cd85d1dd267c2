using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Confluent.Kafka;
using FastMQ.Broker.Groups;
using FastMQ.IntegrationTests.Support;
using Xunit;

namespace FastMQ.IntegrationTests.Groups;

/// <summary>The __consumer_offsets record layout (OffsetRecordCodec): exact bytes, round trips and clear errors.</summary>
public sealed class OffsetRecordCodecTests
{
    private static GroupMetadataRecord SampleGroup() => new("consumer", 7, "range", "m-1", 1_700_000_000_123,
    [
        new GroupMemberRecord("m-1", null, "client-a", "/127.0.0.1", 300_000, 45_000, [0, 1, 2, 3], [9, 8, 7]),
        new GroupMemberRecord("m-2", "inst-b", "client-b", "/10.0.0.2", 60_000, 10_000, [], [1]),
    ]);

    [Fact]
    public void OffsetCommitLayoutIsUnchanged()
    {
        // Goal: the offset-commit record layout (key v1, value v1) stays byte-for-byte what earlier builds wrote, so
        // existing data directories replay. Method: encode known values and compare with hand-built big-endian bytes.
        byte[] key = OffsetRecordCodec.EncodeKey("g", "tp", 3);
        Assert.Equal(new byte[] { 0, 1, 0, 1, (byte)'g', 0, 2, (byte)'t', (byte)'p', 0, 0, 0, 3 }, key);
        byte[] value = OffsetRecordCodec.EncodeValue(new CommittedOffset(0x0102, 5, null, 0x0A0B));
        Assert.Equal(new byte[] { 0, 1, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 5, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0x0A, 0x0B }, value);

        Assert.Equal(OffsetRecordKind.OffsetCommit, OffsetRecordCodec.DecodeKey(key, out string group, out OffsetKey offsetKey));
        Assert.Equal("g", group);
        Assert.Equal(new OffsetKey("tp", 3), offsetKey);
        Assert.Equal(new CommittedOffset(0x0102, 5, null, 0x0A0B), OffsetRecordCodec.DecodeValue(value));
    }

    [Fact]
    public void GroupMetadataRoundTrips()
    {
        // Goal: a group-metadata record (key v2, value v3) decodes to exactly what was encoded, members, static ids and
        // opaque bytes included, and an empty group (no protocol, no leader, no members) too. Method: encode, decode, compare.
        byte[] key = OffsetRecordCodec.EncodeGroupKey("orders-group");
        Assert.Equal(2, BinaryPrimitives.ReadInt16BigEndian(key));
        Assert.Equal(OffsetRecordKind.GroupMetadata, OffsetRecordCodec.DecodeKey(key, out string group, out _));
        Assert.Equal("orders-group", group);

        GroupMetadataRecord sample = SampleGroup();
        byte[] value = OffsetRecordCodec.EncodeGroupValue(sample);
        Assert.Equal(3, BinaryPrimitives.ReadInt16BigEndian(value));
        GroupMetadataRecord decoded = OffsetRecordCodec.DecodeGroupValue(value);
        Assert.Equal((sample.ProtocolType, sample.Generation, sample.ProtocolName, sample.LeaderId, sample.StateTimestampMs),
            (decoded.ProtocolType, decoded.Generation, decoded.ProtocolName, decoded.LeaderId, decoded.StateTimestampMs));
        Assert.Equal(sample.Members.Count, decoded.Members.Count);
        for (int i = 0; i < sample.Members.Count; i++)
        {
            GroupMemberRecord a = sample.Members[i];
            GroupMemberRecord b = decoded.Members[i];
            Assert.Equal((a.MemberId, a.GroupInstanceId, a.ClientId, a.ClientHost, a.RebalanceTimeoutMs, a.SessionTimeoutMs),
                (b.MemberId, b.GroupInstanceId, b.ClientId, b.ClientHost, b.RebalanceTimeoutMs, b.SessionTimeoutMs));
            Assert.Equal(a.Subscription, b.Subscription);
            Assert.Equal(a.Assignment, b.Assignment);
        }

        GroupMetadataRecord empty = OffsetRecordCodec.DecodeGroupValue(OffsetRecordCodec.EncodeGroupValue(new GroupMetadataRecord("consumer", 8, null, null, 5, [])));
        Assert.Equal(("consumer", 8, (string?)null, (string?)null, 0), (empty.ProtocolType, empty.Generation, empty.ProtocolName, empty.LeaderId, empty.Members.Count));
    }

    [Fact]
    public void UnknownVersionsAndDamageGiveClearErrors()
    {
        // Goal: a record this build cannot read (a newer layout, or damaged bytes) fails with an InvalidDataException
        // that names the problem, never a wrong value. Method: patch version fields and truncate encoded records.
        byte[] key = OffsetRecordCodec.EncodeGroupKey("g");
        BinaryPrimitives.WriteInt16BigEndian(key, 7);
        var e = Assert.Throws<InvalidDataException>(() => OffsetRecordCodec.DecodeKey(key, out _, out _));
        Assert.Contains("unknown __consumer_offsets key version 7", e.Message, StringComparison.Ordinal);

        byte[] value = OffsetRecordCodec.EncodeGroupValue(SampleGroup());
        BinaryPrimitives.WriteInt16BigEndian(value, 4);
        e = Assert.Throws<InvalidDataException>(() => OffsetRecordCodec.DecodeGroupValue(value));
        Assert.Contains("unknown group-metadata value version 4", e.Message, StringComparison.Ordinal);

        byte[] offsetValue = OffsetRecordCodec.EncodeValue(new CommittedOffset(1, -1, "m", 2));
        BinaryPrimitives.WriteInt16BigEndian(offsetValue, 9);
        e = Assert.Throws<InvalidDataException>(() => OffsetRecordCodec.DecodeValue(offsetValue));
        Assert.Contains("unknown offset-commit value version 9", e.Message, StringComparison.Ordinal);

        byte[] whole = OffsetRecordCodec.EncodeGroupValue(SampleGroup());
        for (int cut = 0; cut < whole.Length; cut += 5)
        {
            byte[] truncated = whole.AsSpan(0, cut).ToArray();
            e = Assert.Throws<InvalidDataException>(() => OffsetRecordCodec.DecodeGroupValue(truncated));
            Assert.True(e.Message.Contains("truncated", StringComparison.Ordinal) || e.Message.Contains("member(s) in", StringComparison.Ordinal), e.Message);
        }
        e = Assert.Throws<InvalidDataException>(() => OffsetRecordCodec.DecodeGroupValue(whole.Concat(new byte[] { 0 }).ToArray()));
        Assert.Contains("trailing", e.Message, StringComparison.Ordinal);

        // A member count no value of this size can hold is refused before anything is allocated for it.
        byte[] huge = OffsetRecordCodec.EncodeGroupValue(new GroupMetadataRecord("consumer", 1, null, null, 0, []));
        BinaryPrimitives.WriteInt32BigEndian(huge.AsSpan(huge.Length - 4), int.MaxValue);
        e = Assert.Throws<InvalidDataException>(() => OffsetRecordCodec.DecodeGroupValue(huge));
        Assert.Contains("2147483647 member(s)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplaySkipsAnUnreadableRecordWithAClearErrorAndLoadsTheRest()
    {
        // Goal: at start-up a __consumer_offsets record this build cannot read (here key version 7) is reported with its
        // offset and reason and skipped, and the records around it still load. Method: a real broker with one offsets
        // partition; commits before and after a foreign record produced straight into that partition; kill -9; the
        // committed offsets read back and the broker's log checked.
        using var broker = new BrokerProcess(GroupTestSupport.BrokerArgs("--offsets.topic.num.partitions=1"));
        KafkaClients.CreateTopic(broker.BootstrapServers, "rp", 2);
        using (IConsumer<byte[], byte[]> c = GroupTestSupport.Member(broker.BootstrapServers, "g-replay"))
        {
            c.Commit([new TopicPartitionOffset("rp", 0, 4)]);
        }
        byte[] foreignKey = OffsetRecordCodec.EncodeGroupKey("g-replay");
        BinaryPrimitives.WriteInt16BigEndian(foreignKey, 7);
        using (IProducer<byte[], byte[]> producer = KafkaClients.Producer(broker.BootstrapServers))
        {
            await producer.ProduceAsync(new TopicPartition("__consumer_offsets", 0), new Message<byte[], byte[]> { Key = foreignKey, Value = [1, 2, 3] });
        }
        using (IConsumer<byte[], byte[]> c = GroupTestSupport.Member(broker.BootstrapServers, "g-replay"))
        {
            c.Commit([new TopicPartitionOffset("rp", 1, 6)]);
        }
        broker.Kill();
        int before = broker.Output.Length;
        broker.Start();
        using (IConsumer<byte[], byte[]> c = GroupTestSupport.Member(broker.BootstrapServers, "g-replay"))
        {
            var committed = c.Committed([new TopicPartition("rp", 0), new TopicPartition("rp", 1)], TimeSpan.FromSeconds(20));
            Assert.Equal([4L, 6L], committed.OrderBy(t => t.Partition.Value).Select(t => t.Offset.Value).ToArray());
        }
        Assert.Matches(@"__consumer_offsets-0: cannot read the record at offset \d+, skipped: unknown __consumer_offsets key version 7",
            broker.Output[before..]);
    }
}
