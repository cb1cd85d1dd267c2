using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using FastMQ.Protocol.Messages;
using Xunit;

namespace FastMQ.IntegrationTests.Hardening;

/// <summary>
/// Hostile and broken requests against a real fastmq-server process over raw sockets: oversized, truncated and garbage
/// frames, unknown APIs and versions, corrupt and oversized batches, unknown topics with auto-create off. Each bad
/// connection must be closed (or answered with the right error code) while other connections keep working. Runs once
/// per network back-end (<see cref="BadInputSocketsTests"/>, <see cref="BadInputUringTests"/>).
/// </summary>
public abstract class BadInputTests<TBroker> : IClassFixture<TBroker>
    where TBroker : BadInputBroker
{
    private const int MaxRequestBytes = BadInputBroker.MaxRequestBytes;
    private const string LimitedTopic = BadInputBroker.LimitedTopic;
    private const short ProduceVersion = 9;
    private const short MetadataVersion = 12;

    private readonly BrokerProcess _broker;

    protected BadInputTests(TBroker fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        _broker = fixture.Process;
    }

    // Goal: a frame announcing more than socket.request.max.bytes is refused before a buffer of that size exists.
    // Method: announce 512 MiB (limit 1 MiB) and send 256 KiB of it; the connection must close within 2 s, the
    // broker's VmRSS must not grow by anything near the announced size, and the reason must be logged.
    [Fact]
    public void OversizedFrame_ClosesConnectionWithoutAllocating()
    {
        const int announced = 512 * 1024 * 1024;
        long rssBefore = ProcessMemory.RssBytes(_broker.Pid);
        using var c = new RawKafkaConnection(_broker.Port);
        byte[] payload = new byte[4 + (256 * 1024)];
        BinaryPrimitives.WriteInt32BigEndian(payload, announced);
        Random.Shared.NextBytes(payload.AsSpan(4));
        c.TrySend(payload); // the broker may close before all of it is read
        TimeSpan? closedAfter = c.WaitForClose(5_000);
        Assert.True(closedAfter is not null, "an oversized frame must close the connection");
        Assert.True(closedAfter < TimeSpan.FromSeconds(2), $"closed only after {closedAfter}");
        long rssAfter = ProcessMemory.RssBytes(_broker.Pid);
        Assert.True(rssAfter - rssBefore < 64L * 1024 * 1024, $"broker RSS grew by {(rssAfter - rssBefore) >> 20} MiB after a refused 512 MiB frame");
        AssertLogged($"frame size {announced} outside [8, {MaxRequestBytes}]");

        // A negative size (high bit set) and a size below the smallest header are refused the same way.
        foreach (int size in new[] { -1, int.MinValue, 3 })
        {
            using var bad = new RawKafkaConnection(_broker.Port);
            byte[] prefix = new byte[12];
            BinaryPrimitives.WriteInt32BigEndian(prefix, size);
            bad.TrySend(prefix);
            Assert.True(bad.WaitForClose(5_000) is not null, $"frame size {size} must close the connection");
            AssertLogged($"frame size {size} outside");
        }
        AssertHealthy();
    }

    // Goal: truncated, garbage and half-sent frames close only their own connection, with a logged reason. Method: keep
    // one healthy connection open; for each bad frame open a connection, send it, wait for the close, then check the
    // healthy connection still answers Metadata and ApiVersions and the broker logged why it closed.
    [Fact]
    public void TruncatedAndGarbageFrames_CloseOnlyTheirConnection()
    {
        using var healthy = new RawKafkaConnection(_broker.Port);
        int correlation = 100;
        CheckMetadata(healthy, correlation++);

        // Header cut inside the client id: a 50-byte client id announced, none sent.
        byte[] headerCut = [0, 0, 0, 10, 0, 3, 0, 12, 0, 0, 0, 7, 0, 50];
        SendAndExpectClose(headerCut);
        AssertLogged("malformed request");
        CheckMetadata(healthy, correlation++);

        // Body cut: a valid produce request with its last 20 bytes removed and the size fixed up to match.
        byte[] produce = KafkaRequests.Produce(ProduceVersion, 8, LimitedTopic, 0, KafkaRequests.Batch("a", "b", "c"));
        byte[] bodyCut = produce.AsSpan(0, produce.Length - 20).ToArray();
        BinaryPrimitives.WriteInt32BigEndian(bodyCut, bodyCut.Length - 4);
        SendAndExpectClose(bodyCut);
        CheckMetadata(healthy, correlation++);

        // Garbage: a plausible size followed by random bytes (a fixed seed keeps the case reproducible).
        var random = new Random(20261126);
        for (int i = 0; i < 20; i++)
        {
            byte[] garbage = new byte[4 + random.Next(8, 400)];
            random.NextBytes(garbage.AsSpan(4));
            BinaryPrimitives.WriteInt32BigEndian(garbage, garbage.Length - 4);
            // An API key of ApiVersions would get an answer (any version is answered); make it an unknown key. Half
            // the frames get a null client id so they reach the API check; the rest fail in the header already.
            BinaryPrimitives.WriteInt16BigEndian(garbage.AsSpan(4), (short)(1000 + i));
            if (i % 2 == 0)
            {
                BinaryPrimitives.WriteInt16BigEndian(garbage.AsSpan(12), -1);
            }
            SendAndExpectClose(garbage);
        }
        AssertLogged("unsupported API key 1000");
        AssertLogged("malformed 10"); // the stale-key bug logged these as the previous request's API
        CheckMetadata(healthy, correlation++);

        // Half a frame, then the client goes away: the broker notices the close and frees the connection.
        using (var half = new RawKafkaConnection(_broker.Port))
        {
            half.Send(produce.AsSpan(0, produce.Length / 2));
            half.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            Assert.True(half.WaitForClose(5_000) is not null, "a half-sent frame followed by EOF must end the connection");
        }
        AssertLogged("peer closed the connection");
        CheckMetadata(healthy, correlation++);
        AssertFullApiVersions(healthy.RoundTrip(KafkaRequests.ApiVersions(3, correlation)), correlation);
    }

    // Goal: requests for APIs or versions FastMQ does not serve close the connection, as Kafka does. Method: send an
    // unknown key, Metadata v13, Produce v2 (advertised but not served) and Fetch v3, each on its own connection; each
    // must be closed with the reason logged.
    [Fact]
    public void UnknownApiOrUnsupportedVersion_ClosesConnection()
    {
        byte[] unknownKey = KafkaRequests.Frame((ApiKey)9999, 0, 1, (ref Protocol.Primitives.KafkaWriter w) => w.WriteInt32(0));
        SendAndExpectClose(unknownKey);
        AssertLogged("unsupported API key 9999");

        SendAndExpectClose(RawVersion(KafkaRequests.Metadata(MetadataVersion, 2, null), 13));
        AssertLogged("unsupported version 13 of Metadata");

        SendAndExpectClose(RawVersion(KafkaRequests.Produce(3, 3, LimitedTopic, 0, KafkaRequests.Batch("x")), 2));
        AssertLogged("unsupported version 2 of Produce");

        SendAndExpectClose(RawVersion(KafkaRequests.Fetch(4, 4, LimitedTopic, 0, 0), 3));
        AssertLogged("unsupported version 3 of Fetch");
        AssertHealthy();
    }

    // Goal: ApiVersions above FastMQ's range gets the version-0 fallback (UNSUPPORTED_VERSION and the ApiVersions
    // range) and the connection stays usable. Method: send ApiVersions v9, compare the response byte for byte, then
    // send ApiVersions v3 on the same connection.
    [Fact]
    public void ApiVersionsAboveRange_GetsVersion0Fallback()
    {
        using var c = new RawKafkaConnection(_broker.Port);
        byte[] request = KafkaRequests.Frame(ApiKey.ApiVersions, 9, 0x01020304, (ref Protocol.Primitives.KafkaWriter w) => w.WriteInt32(0x7777));
        c.Send(request);
        byte[] frame = c.ReceiveFrame();
        byte[] expected =
        [
            0x01, 0x02, 0x03, 0x04, // correlation id (header v0)
            0x00, 0x23,             // error UNSUPPORTED_VERSION (35)
            0x00, 0x00, 0x00, 0x01, // one entry
            0x00, 0x12, 0x00, 0x00, 0x00, 0x03, // ApiVersions (18) versions 0..3
        ];
        Assert.Equal(expected, frame);
        byte[] again = c.RoundTrip(KafkaRequests.ApiVersions(3, 5));
        AssertFullApiVersions(again, 5);
    }

    // Goal: a batch whose CRC does not match gets CORRUPT_MESSAGE and is not stored. Method: produce a valid batch, then
    // the same batch with one record byte flipped; the second must get error 2 and a fetch must return only the first.
    [Fact]
    public void CrcMismatch_GetsCorruptMessage()
    {
        using var c = new RawKafkaConnection(_broker.Port);
        ProduceResponse.Partition ok = ProduceOne(c, 1, LimitedTopic, KafkaRequests.Batch("good-1", "good-2"));
        Assert.Equal(ErrorCode.None, ok.ErrorCode);

        byte[] corrupt = KafkaRequests.Batch("evil-1", "evil-2");
        corrupt[^3] ^= 0x40; // inside the last record's value: covered by the CRC, not by any length
        ProduceResponse.Partition bad = ProduceOne(c, 2, LimitedTopic, corrupt);
        Assert.Equal(ErrorCode.CorruptMessage, bad.ErrorCode);
        Assert.Equal(-1, bad.BaseOffset);

        byte[] fetched = c.RoundTrip(KafkaRequests.Fetch(11, 3, LimitedTopic, 0, ok.BaseOffset));
        FetchResponse.Partition p = KafkaRequests.ReadFetch(fetched, 11, 3).Topics[0].Partitions[0];
        List<byte[]> values = KafkaRequests.Values(p.Records, out long next);
        Assert.Equal(["good-1", "good-2"], values.ConvertAll(v => System.Text.Encoding.UTF8.GetString(v)));
        Assert.Equal(ok.BaseOffset + 2, next);
        Assert.Equal(next, p.HighWatermark);
    }

    // Goal: a batch above the topic's max.message.bytes gets MESSAGE_TOO_LARGE. Method: the topic allows 2048 bytes;
    // produce one 3000-byte record (error 10), then a small one on the same connection (accepted).
    [Fact]
    public void BatchOverMaxMessageBytes_GetsMessageTooLarge()
    {
        using var c = new RawKafkaConnection(_broker.Port);
        byte[] big = KafkaRequests.Batch([new byte[3000]]);
        Assert.True(big.Length > 2048 && big.Length < MaxRequestBytes);
        ProduceResponse.Partition tooLarge = ProduceOne(c, 1, LimitedTopic, big);
        Assert.Equal(ErrorCode.MessageTooLarge, tooLarge.ErrorCode);
        ProduceResponse.Partition small = ProduceOne(c, 2, LimitedTopic, KafkaRequests.Batch([new byte[1000]]));
        Assert.Equal(ErrorCode.None, small.ErrorCode);
    }

    // Goal: with auto-create off, an unknown topic is reported and never created. Method: Produce to it (error 3),
    // Metadata for it (topic error 3, asking to auto-create), then Metadata again (still unknown).
    [Fact]
    public void UnknownTopicWithAutoCreateOff_GetsUnknownTopicOrPartition()
    {
        using var c = new RawKafkaConnection(_broker.Port);
        const string missing = "hardening-no-such-topic";
        ProduceResponse.Partition produced = ProduceOne(c, 1, missing, KafkaRequests.Batch("x"));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, produced.ErrorCode);
        for (int i = 0; i < 2; i++)
        {
            MetadataResponse metadata = KafkaRequests.ReadMetadata(c.RoundTrip(KafkaRequests.Metadata(MetadataVersion, 10 + i, missing, allowAutoCreate: true)), MetadataVersion, 10 + i);
            Assert.Single(metadata.Topics);
            Assert.Equal(ErrorCode.UnknownTopicOrPartition, metadata.Topics[0].ErrorCode);
        }
        ProduceResponse.Partition wrongPartition = ProduceOne(c, 20, LimitedTopic, KafkaRequests.Batch("x"), partition: 7);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, wrongPartition.ErrorCode);
    }

    private static ProduceResponse.Partition ProduceOne(RawKafkaConnection c, int correlationId, string topic, byte[] batch, int partition = 0)
    {
        byte[] response = c.RoundTrip(KafkaRequests.Produce(ProduceVersion, correlationId, topic, partition, batch));
        ProduceResponse r = KafkaRequests.ReadProduce(response, ProduceVersion, correlationId);
        return r.Topics[0].Partitions[0];
    }

    private static byte[] RawVersion(byte[] frame, short version)
    {
        byte[] copy = (byte[])frame.Clone();
        BinaryPrimitives.WriteInt16BigEndian(copy.AsSpan(6), version);
        return copy;
    }

    /// <summary>A normal (v3) ApiVersions answer: no error, and at least the core APIs FastMQ always serves.</summary>
    private static void AssertFullApiVersions(byte[] frame, int correlationId)
    {
        Assert.Equal(correlationId, BinaryPrimitives.ReadInt32BigEndian(frame));
        var reader = new Protocol.Primitives.KafkaReader(frame.AsSpan(4));
        ApiVersionsResponse r = ApiVersionsResponse.Read(ref reader, 3);
        Assert.Equal(ErrorCode.None, r.ErrorCode);
        foreach (ApiKey key in new[] { ApiKey.Produce, ApiKey.Fetch, ApiKey.Metadata, ApiKey.ApiVersions })
        {
            Assert.Contains(r.ApiKeys, e => e.ApiKey == key);
        }
    }

    private void SendAndExpectClose(byte[] bytes)
    {
        using var c = new RawKafkaConnection(_broker.Port);
        c.TrySend(bytes);
        TimeSpan? closed = c.WaitForClose(5_000);
        Assert.True(closed is not null, $"the broker kept a connection open after {Convert.ToHexString(bytes.AsSpan(0, Math.Min(24, bytes.Length)))}…");
    }

    private void CheckMetadata(RawKafkaConnection c, int correlationId)
    {
        MetadataResponse m = KafkaRequests.ReadMetadata(c.RoundTrip(KafkaRequests.Metadata(MetadataVersion, correlationId, LimitedTopic)), MetadataVersion, correlationId);
        Assert.Equal(ErrorCode.None, m.Topics[0].ErrorCode);
        Assert.Single(m.Brokers);
    }

    private void AssertHealthy()
    {
        using var c = new RawKafkaConnection(_broker.Port);
        CheckMetadata(c, 42);
    }

    /// <summary>The broker's log mentions <paramref name="text"/> (log lines reach the test asynchronously: wait for it).</summary>
    private void AssertLogged(string text) =>
        Assert.True(_broker.WaitForOutput(text), $"the broker did not log \"{text}\"; output:\n{_broker.Output}");
}
