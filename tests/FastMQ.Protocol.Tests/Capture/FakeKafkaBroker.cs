using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace FastMQ.Protocol.Tests.Capture;

/// <summary>
/// A minimal single-node Kafka broker on a loopback port, just enough for a producer to send one Produce request:
/// ApiVersions (any version; v0 body with UNSUPPORTED_VERSION above v3), Metadata v12 (itself as the only broker,
/// leader of partition 0 of every topic asked for) and Produce v3–v11 (captures each partition's records bytes and
/// answers with offsets). Other API keys close the connection. Test-only.
/// </summary>
internal sealed class FakeKafkaBroker : IDisposable
{
    private const int NodeId = 1;
    private const short ApiVersionsKey = 18;
    private const short MetadataKey = 3;
    private const short ProduceKey = 0;
    private const short UnsupportedVersion = 35;

    /// <summary>The ranges FastMQ plans to advertise (kafka-protocol.md §2.1); Produce from 0 so librdkafka compresses.</summary>
    private static readonly (short Key, short Min, short Max)[] Advertised =
    [
        (0, 0, 11), (1, 4, 12), (2, 1, 7), (3, 0, 12), (8, 2, 9), (9, 1, 9), (10, 0, 4), (11, 0, 9), (12, 0, 4),
        (13, 0, 5), (14, 0, 5), (15, 0, 5), (16, 0, 5), (17, 0, 1), (18, 0, 3), (19, 2, 7), (20, 1, 6), (21, 0, 2),
        (22, 0, 4), (23, 2, 4), (32, 1, 4), (36, 0, 2), (37, 0, 3),
    ];

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private readonly List<Task> _tasks = [];
    private readonly TaskCompletionSource<byte[]> _firstRecords = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _logEndOffset;

    public FakeKafkaBroker()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        lock (_tasks)
        {
            _tasks.Add(Task.Run(AcceptLoopAsync));
        }
    }

    public int Port { get; }

    public string BootstrapServers => $"127.0.0.1:{Port}";

    /// <summary>Requests seen, e.g. "ApiVersions v3", for failure messages.</summary>
    public ConcurrentQueue<string> RequestLog { get; } = new();

    /// <summary>The records bytes of the first Produce request (one RecordBatch for v3+).</summary>
    public Task<byte[]> FirstProducedRecords => _firstRecords.Task;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (TcpClient client in _clients)
        {
            client.Dispose();
        }
        Task[] tasks;
        lock (_tasks)
        {
            tasks = [.. _tasks];
        }
        Task.WaitAll(tasks, TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _clients.Add(client);
            lock (_tasks)
            {
                _tasks.Add(Task.Run(() => ServeAsync(client)));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            NetworkStream stream = client.GetStream();
            byte[] sizeBytes = new byte[4];
            while (!_stop.IsCancellationRequested)
            {
                await stream.ReadExactlyAsync(sizeBytes, _stop.Token);
                int size = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(sizeBytes);
                byte[] frame = new byte[size];
                await stream.ReadExactlyAsync(frame, _stop.Token);
                byte[]? response = Handle(frame);
                if (response is not null)
                {
                    // null: Produce with acks=0, which gets no response.
                    await stream.WriteAsync(response, _stop.Token);
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The client hung up or the broker stopped.
        }
        catch (Exception e)
        {
            _firstRecords.TrySetException(e);
        }
        finally
        {
            client.Dispose();
        }
    }

    private byte[]? Handle(byte[] frame)
    {
        var reader = new WireReader(frame);
        short apiKey = reader.Int16();
        short version = reader.Int16();
        int correlationId = reader.Int32();
        reader.NullableString(flexible: false); // client_id keeps its int16 length in every header version
        RequestLog.Enqueue(apiKey switch
        {
            ApiVersionsKey => $"ApiVersions v{version}",
            MetadataKey => $"Metadata v{version}",
            ProduceKey => $"Produce v{version}",
            _ => $"api {apiKey} v{version}",
        });
        switch (apiKey)
        {
            case ApiVersionsKey:
                return ApiVersions(version, correlationId);
            case MetadataKey when version == 12:
                reader.SkipTags(flexible: true);
                return Metadata(reader, correlationId);
            case ProduceKey when version is >= 3 and <= 11:
                reader.SkipTags(flexible: version >= 9);
                return Produce(reader, version, correlationId);
            default:
                _firstRecords.TrySetException(new InvalidDataException(
                    $"fake broker does not serve api key {apiKey} v{version}; requests so far: {string.Join(", ", RequestLog)}"));
                throw new IOException("unsupported request: closing the connection");
        }
    }

    private static byte[] ApiVersions(short version, int correlationId)
    {
        // Every ApiVersions response uses header v0; an unknown version gets a v0 body (kafka-protocol.md §2.2).
        bool known = version <= 3;
        short bodyVersion = known ? version : (short)0;
        bool flexible = bodyVersion >= 3;
        var w = new WireWriter().Int32(correlationId);
        w.Int16(known ? (short)0 : UnsupportedVersion);
        (short Key, short Min, short Max)[] keys = known ? Advertised : [(ApiVersionsKey, 0, 3)];
        w.ArrayCount(keys.Length, flexible);
        foreach ((short key, short min, short max) in keys)
        {
            w.Int16(key).Int16(min).Int16(max).EmptyTags(flexible);
        }
        if (bodyVersion >= 1)
        {
            w.Int32(0); // throttle_time_ms
        }
        return w.EmptyTags(flexible).ToFrame();
    }

    private byte[] Metadata(WireReader reader, int correlationId)
    {
        var topics = new List<string>();
        int count = reader.ArrayCount(flexible: true);
        for (int i = 0; i < count; i++)
        {
            reader.Skip(16); // topic_id
            topics.Add(reader.NullableString(flexible: true) ?? throw new InvalidDataException("Metadata asked for a topic by id"));
            reader.SkipTags(flexible: true);
        }
        var w = new WireWriter().Int32(correlationId).EmptyTags(true); // response header v1
        w.Int32(0); // throttle_time_ms
        w.ArrayCount(1, true).Int32(NodeId).NullableString("127.0.0.1", true).Int32(Port).NullableString(null, true).EmptyTags(true);
        w.NullableString("fastmq-fixture-cluster", true).Int32(NodeId);
        w.ArrayCount(topics.Count, true);
        foreach (string topic in topics)
        {
            w.Int16(0).NullableString(topic, true);
            w.Raw(Guid.NewGuid().ToByteArray()).Bool(false); // topic_id, is_internal
            w.ArrayCount(1, true).Int16(0).Int32(0).Int32(NodeId).Int32(0); // error, index, leader, leader_epoch
            w.ArrayCount(1, true).Int32(NodeId).ArrayCount(1, true).Int32(NodeId).ArrayCount(0, true).EmptyTags(true);
            w.Int32(int.MinValue).EmptyTags(true); // topic_authorized_operations: not computed
        }
        return w.EmptyTags(true).ToFrame();
    }

    private byte[]? Produce(WireReader reader, short version, int correlationId)
    {
        bool flexible = version >= 9;
        reader.NullableString(flexible); // transactional_id
        short acks = reader.Int16();
        reader.Int32(); // timeout_ms
        var partitions = new List<(string Topic, int Partition, long BaseOffset)>();
        int topicCount = reader.ArrayCount(flexible);
        for (int t = 0; t < topicCount; t++)
        {
            string topic = reader.NullableString(flexible) ?? throw new InvalidDataException("null topic name");
            int partitionCount = reader.ArrayCount(flexible);
            for (int p = 0; p < partitionCount; p++)
            {
                int index = reader.Int32();
                byte[] records = reader.NullableBytes(flexible) ?? throw new InvalidDataException("null records");
                reader.SkipTags(flexible);
                long baseOffset = Interlocked.Add(ref _logEndOffset, CountRecords(records)) - CountRecords(records);
                partitions.Add((topic, index, baseOffset));
                _firstRecords.TrySetResult(records);
            }
            reader.SkipTags(flexible);
        }
        if (acks == 0)
        {
            return null;
        }
        var w = new WireWriter().Int32(correlationId).EmptyTags(flexible);
        w.ArrayCount(partitions.Count, flexible);
        foreach ((string topic, int partition, long baseOffset) in partitions)
        {
            // One topic entry per partition keeps this short; clients match responses by name and index.
            w.NullableString(topic, flexible).ArrayCount(1, flexible);
            w.Int32(partition).Int16(0).Int64(baseOffset).Int64(-1); // index, error, base_offset, log_append_time_ms
            if (version >= 5)
            {
                w.Int64(0); // log_start_offset
            }
            if (version >= 8)
            {
                w.ArrayCount(0, flexible).NullableString(null, flexible); // record_errors, error_message
            }
            w.EmptyTags(flexible).EmptyTags(flexible);
        }
        w.Int32(0); // throttle_time_ms
        return w.EmptyTags(flexible).ToFrame();
    }

    /// <summary>recordsCount of each batch in a records field (v3+: RecordBatch v2, count at byte 57).</summary>
    private static int CountRecords(byte[] records)
    {
        int total = 0;
        int position = 0;
        while (records.Length - position >= 61)
        {
            int batchLength = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(records.AsSpan(position + 8));
            total += System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(records.AsSpan(position + 57));
            position += batchLength + 12;
        }
        return total;
    }
}
