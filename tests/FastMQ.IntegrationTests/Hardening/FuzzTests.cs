using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Confluent.Kafka;
using FastMQ.IntegrationTests.Support;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Records;
using Xunit;
using Xunit.Abstractions;
using ErrorCode = FastMQ.Protocol.Messages.ErrorCode;

namespace FastMQ.IntegrationTests.Hardening;

/// <summary>
/// Wire fuzzing of a real broker process: mutated valid requests and random bytes over many connections, then a
/// normal client must still work and the broker's memory must have stayed bounded.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const string Topic = "fuzz";
    private const int TargetFrames = 100_000;
    private const int Workers = 4;
    private const int SentinelCorrelationId = 0x7E57_5E9D;

    private static readonly byte[] Sentinel = KafkaRequests.ApiVersions(3, SentinelCorrelationId);

    // Goal: no sequence of broken frames crashes the broker, wedges it, or makes its memory grow without bound.
    // Method: seeded (FASTMQ_FUZZ_SEED overrides; the seed is printed) mutations of valid ApiVersions, Metadata,
    // Produce, Fetch, ListOffsets and CreateTopics (validate-only) frames plus random bytes, at least 100,000 frames
    // over 4 parallel workers, 1-8 frames per connection and a new connection whenever the broker closes one; the
    // broker must close every connection after the client's EOF, VmRSS must stay < 300 MiB above the start and not
    // grow over the second half; then Confluent.Kafka produces and consumes 200 records; finally the broker stops and
    // its complete output has no error line.
    // Both network back-ends: .NET sockets and the shard-driven io_uring transport.
    [Theory]
    [InlineData("sockets")]
    [InlineData("io_uring")]
    public void MutatedAndRandomFrames_LeaveTheBrokerHealthy(string backend)
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("FASTMQ_FUZZ_SEED"), out int s) ? s : Environment.TickCount;
        output.WriteLine($"fuzz seed {seed} (rerun with FASTMQ_FUZZ_SEED={seed}), network back-end {backend}");
        using var broker = new BrokerProcess(["--fastmq.shards=2", "--auto.create.topics.enable=false", "--log.segment.bytes=1048576",
            $"--fastmq.network.backend={backend}"]);
        List<(byte[] Frame, int Protected)> seeds = BuildSeeds(broker.Port);

        long rssStart = ProcessMemory.RssBytes(broker.Pid);
        long rssMid = 0;
        long frames = 0;
        long connections = 0;
        long responses = 0;
        long stalls = 0;
        var sw = Stopwatch.StartNew();
        var failures = new List<string>();
        var workers = new Thread[Workers];
        for (int w = 0; w < Workers; w++)
        {
            int workerSeed = seed + (w * 7919);
            workers[w] = new Thread(() =>
            {
                var random = new Random(workerSeed);
                byte[] sink = new byte[64 * 1024];
                while (Interlocked.Read(ref frames) < TargetFrames && sw.Elapsed < TimeSpan.FromSeconds(120))
                {
                    string? failure = RunConnection(broker.Port, random, seeds, sink, ref frames, ref responses, ref stalls);
                    Interlocked.Increment(ref connections);
                    if (failure is not null)
                    {
                        lock (failures)
                        {
                            failures.Add(failure);
                        }
                        return;
                    }
                    if (Interlocked.Read(ref frames) >= TargetFrames / 2 && Interlocked.CompareExchange(ref rssMid, 1, 0) == 0)
                    {
                        Volatile.Write(ref rssMid, ProcessMemory.RssBytes(broker.Pid));
                    }
                }
            }) { IsBackground = true, Name = $"fuzz-{w}" };
            workers[w].Start();
        }
        foreach (Thread t in workers)
        {
            t.Join();
        }
        long rssEnd = ProcessMemory.RssBytes(broker.Pid);
        output.WriteLine($"{frames} frames over {connections} connections in {sw.Elapsed}, {responses} responses, {stalls} connections held by a long poll; " +
            $"RSS start {rssStart >> 20} MiB, mid {rssMid >> 20} MiB, end {rssEnd >> 20} MiB");
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\nbroker output tail:\n" + Tail(broker.Output));
        Assert.True(frames >= TargetFrames, $"only {frames} frames in the time budget");
        Assert.True(stalls < connections / 100, $"{stalls} of {connections} connections got no answer to the sentinel within 2 s");
        Assert.True(rssEnd - rssStart < 300L * 1024 * 1024, $"broker RSS grew by {(rssEnd - rssStart) >> 20} MiB");
        Assert.True(rssEnd - rssMid < 48L * 1024 * 1024, $"broker RSS still grew by {(rssEnd - rssMid) >> 20} MiB over the second half");

        // A normal client still works.
        KafkaClients.CreateTopic(broker.BootstrapServers, "after-fuzz", 2);
        using (IProducer<byte[], byte[]> producer = KafkaClients.Producer(broker.BootstrapServers))
        {
            for (int i = 0; i < 200; i++)
            {
                producer.Produce("after-fuzz", new Message<byte[], byte[]> { Key = BitConverter.GetBytes(i), Value = Encoding.UTF8.GetBytes($"v{i}") });
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }
        List<ConsumeResult<byte[], byte[]>> got = KafkaClients.ReadAll(broker.BootstrapServers, "after-fuzz", 2, 200, TimeSpan.FromSeconds(30));
        Assert.Equal(200, got.Count);
        var values = new HashSet<string>();
        foreach (ConsumeResult<byte[], byte[]> r in got)
        {
            values.Add(Encoding.UTF8.GetString(r.Message.Value));
        }
        Assert.Equal(200, values.Count);

        // Errors the broker logged (a handler that threw, a failed shard) would mean a request escaped the checks. Its
        // output reaches this process asynchronously (and an unhandled exception goes to stderr, unordered with the log),
        // so the absence is checked on the complete output of the stopped broker.
        broker.StopGracefully();
        var errors = new List<string>();
        foreach (string line in broker.Output.Split('\n'))
        {
            if (line.Contains(" fail: ", StringComparison.Ordinal) || line.Contains(" crit: ", StringComparison.Ordinal)
                || line.Contains("Unhandled exception", StringComparison.Ordinal))
            {
                errors.Add(line);
            }
        }
        Assert.True(errors.Count == 0, $"{errors.Count} error lines, first ones:\n" + string.Join("\n", errors.GetRange(0, Math.Min(10, errors.Count))));
    }

    /// <summary>
    /// One connection: 1-8 broken frames that keep the stream in step, then an ApiVersions sentinel whose response
    /// (responses come in request order) proves the broker processed them all, or the broker's close; then sometimes
    /// one frame that leaves the stream out of step, and EOF. Returns a failure or null.
    /// </summary>
    private static string? RunConnection(int port, Random random, List<(byte[] Frame, int Protected)> seeds, byte[] sink,
        ref long frames, ref long responses, ref long stalls)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = 2000 };
        try
        {
            socket.Connect(System.Net.IPAddress.Loopback, port);
        }
        catch (SocketException e)
        {
            return $"connect failed: {e.SocketErrorCode} (is the broker still alive?)";
        }
        byte[]? last = null;
        int count = random.Next(1, 9);
        bool open = true;
        for (int i = 0; i < count && open; i++)
        {
            bool ends;
            byte[] frame;
            if (random.Next(8) == 0)
            {
                frame = FrameMutator.RandomFrame(random, out ends);
            }
            else
            {
                (byte[] valid, int protectedOffset) = seeds[random.Next(seeds.Count)];
                frame = FrameMutator.Mutate(random, valid, protectedOffset, out ends);
            }
            if (ends)
            {
                last = frame;
                break;
            }
            open = TrySendAll(socket, frame);
            if (open)
            {
                Interlocked.Increment(ref frames);
            }
        }
        if (open && TrySendAll(socket, Sentinel))
        {
            switch (ReadUntilSentinel(socket, sink, ref responses))
            {
                case SentinelResult.Stalled:
                    Interlocked.Increment(ref stalls);
                    return null;
                case SentinelResult.Closed:
                    return null;
                case SentinelResult.Garbled:
                    return "the broker sent a response frame out of order or with an implausible size";
            }
            if (last is not null && TrySendAll(socket, last))
            {
                Interlocked.Increment(ref frames);
            }
        }
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
        }
        socket.ReceiveTimeout = 10_000;
        return WaitForClose(socket, sink) ? null : "the broker kept a connection open 10 s after the client's EOF";
    }

    private enum SentinelResult
    {
        Answered,
        Closed,
        Stalled,
        Garbled,
    }

    private static SentinelResult ReadUntilSentinel(Socket socket, byte[] sink, ref long responses)
    {
        try
        {
            while (true)
            {
                if (!TryReceiveExactly(socket, sink.AsSpan(0, 8)))
                {
                    return SentinelResult.Closed;
                }
                int size = BinaryPrimitives.ReadInt32BigEndian(sink);
                int correlationId = BinaryPrimitives.ReadInt32BigEndian(sink.AsSpan(4));
                if (size < 4 || size > 256 * 1024 * 1024)
                {
                    return SentinelResult.Garbled;
                }
                for (int left = size - 4; left > 0;)
                {
                    int n = Math.Min(left, sink.Length);
                    if (!TryReceiveExactly(socket, sink.AsSpan(0, n)))
                    {
                        return SentinelResult.Closed;
                    }
                    left -= n;
                }
                Interlocked.Increment(ref responses);
                if (correlationId == SentinelCorrelationId)
                {
                    return SentinelResult.Answered;
                }
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            // A request the mutation turned into a long poll (MaxWaitMs of hours) legitimately holds the sentinel.
            return SentinelResult.Stalled;
        }
        catch (SocketException)
        {
            return SentinelResult.Closed;
        }
    }

    private static bool TryReceiveExactly(Socket socket, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            int n = socket.Receive(destination);
            if (n == 0)
            {
                return false;
            }
            destination = destination[n..];
        }
        return true;
    }

    private static bool WaitForClose(Socket socket, byte[] sink)
    {
        try
        {
            while (socket.Receive(sink) > 0)
            {
            }
            return true;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode != SocketError.TimedOut;
        }
    }

    private static bool TrySendAll(Socket socket, byte[] bytes)
    {
        try
        {
            int sent = 0;
            while (sent < bytes.Length)
            {
                sent += socket.Send(bytes.AsSpan(sent));
            }
            return true;
        }
        catch (SocketException)
        {
            return false; // the broker closed the connection on an earlier frame: expected
        }
    }

    /// <summary>Valid frames of every fuzzed API, with data in the topic so fetches return records.</summary>
    private static List<(byte[] Frame, int Protected)> BuildSeeds(int port)
    {
        using (var c = new RawKafkaConnection(port))
        {
            CreateTopicsResponse created = KafkaRequests.ReadCreateTopics(c.RoundTrip(KafkaRequests.CreateTopics(7, 1, Topic, 2)), 7, 1);
            Assert.Equal(ErrorCode.None, created.Topics[0].ErrorCode);
            for (int i = 0; i < 10; i++)
            {
                byte[] r = c.RoundTrip(KafkaRequests.Produce(9, 10 + i, Topic, i % 2, KafkaRequests.Batch($"seed-{i}-a", $"seed-{i}-b")));
                Assert.Equal(ErrorCode.None, KafkaRequests.ReadProduce(r, 9, 10 + i).Topics[0].Partitions[0].ErrorCode);
            }
        }
        var seeds = new List<(byte[], int)>();
        int id = 1000;
        for (short v = 0; v <= 3; v++)
        {
            seeds.Add((KafkaRequests.ApiVersions(v, id++), -1));
        }
        foreach (short v in new short[] { 1, 4, 9, 12 })
        {
            seeds.Add((KafkaRequests.Metadata(v, id++, Topic), -1));
            seeds.Add((KafkaRequests.Metadata(v, id++, null), -1));
        }
        CompressionCodec[] codecs = [CompressionCodec.None, CompressionCodec.Gzip, CompressionCodec.Snappy, CompressionCodec.Lz4, CompressionCodec.Zstd];
        foreach (short v in new short[] { 3, 7, 9, 11 })
        {
            foreach (CompressionCodec codec in codecs)
            {
                if (codec == CompressionCodec.Zstd && v < 7)
                {
                    continue;
                }
                byte[] batch = KafkaRequests.Batch([Encoding.UTF8.GetBytes("fuzz-value-one"), Encoding.UTF8.GetBytes("fuzz-value-two")], codec);
                foreach (short acks in new short[] { 0, 1, -1 })
                {
                    seeds.Add((KafkaRequests.Produce(v, id++, Topic, (int)codec % 2, batch, acks), -1));
                }
            }
        }
        foreach (short v in new short[] { 4, 7, 11, 12 })
        {
            seeds.Add((KafkaRequests.Fetch(v, id++, Topic, 0, 0, maxWaitMs: 100, minBytes: 1, partitionMaxBytes: 16 * 1024), -1));
            // At the end of the log: parks until the wait expires (long polling).
            seeds.Add((KafkaRequests.Fetch(v, id++, Topic, 1, 1_000_000, maxWaitMs: 100, minBytes: 1, partitionMaxBytes: 16 * 1024), -1));
            seeds.Add((KafkaRequests.Fetch(v, id++, Topic, 1, 5, maxWaitMs: 0, minBytes: 0, partitionMaxBytes: 16 * 1024), -1));
        }
        foreach (short v in new short[] { 1, 4, 7 })
        {
            seeds.Add((KafkaRequests.ListOffsets(v, id++, Topic, 0, ListOffsetsRequest.LatestTimestamp), -1));
            seeds.Add((KafkaRequests.ListOffsets(v, id++, Topic, 1, ListOffsetsRequest.EarliestTimestamp), -1));
        }
        foreach (short v in new short[] { 2, 5, 7 })
        {
            // Validate-only, and that byte is never mutated: fuzzing must not create thousands of real topics.
            byte[] frame = KafkaRequests.CreateTopics(v, id++, "fuzz-created", 3, new Dictionary<string, string> { ["retention.ms"] = "60000" }, validateOnly: true);
            int validateOnlyAt = v >= CreateTopicsRequest.FirstFlexibleVersion ? frame.Length - 2 : frame.Length - 1;
            seeds.Add((frame, validateOnlyAt));
        }
        return seeds;
    }

    private static string Tail(string text) => text.Length <= 6000 ? text : text[^6000..];
}
