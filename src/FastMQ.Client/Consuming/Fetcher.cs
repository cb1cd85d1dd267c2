using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using FastMQ.Client.Internal;
using FastMQ.Client.Wire;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using FastMQ.Protocol.Records;

namespace FastMQ.Client.Consuming;

/// <summary>
/// Fetches the consumer's partitions led by one broker over a <see cref="WireConnection"/>, one Fetch in flight at a
/// time, ahead of the application: as soon as a response arrives its fetch offsets are advanced (from the batch
/// headers alone) and the next Fetch goes out while the application still reads the previous one (prefetch).
/// </summary>
/// <remarks>
/// <para>Threads: the fetcher's own thread builds and sends requests; the connection's receive thread runs
/// <see cref="OnResponse"/>, which scans the response without copying it and publishes the pooled frame to the
/// <see cref="FetchHub"/>. Both take the hub lock once per request/response. At most <see cref="MaxBufferedFetches"/>
/// responses wait for the application, which bounds memory when the application is slower than the network.</para>
/// <para>Allocation: request arrays grow to the number of partitions once; frames come from the connection's pool;
/// completed-fetch objects from the hub's pool. Steady state allocates nothing.</para>
/// <para>Failures: a lost connection is reopened after a short back-off; partition errors are recorded on the
/// partition (OFFSET_OUT_OF_RANGE → reset due; leadership errors → metadata refresh due) and the partition is fetched
/// again after a back-off.</para>
/// </remarks>
internal sealed class Fetcher : IResponseSink, IDisposable
{
    /// <summary>Responses handed to the application and not yet released before the fetcher waits.</summary>
    public const int MaxBufferedFetches = 2;

    private static readonly long ErrorBackoffTicks = Stopwatch.Frequency / 10;   // 100 ms
    private static readonly long ConnectBackoffTicks = Stopwatch.Frequency / 2;  // 500 ms

    private readonly FetchHub _hub;
    private readonly ClientOptions _options;
    private readonly FetchSettings _settings;
    private readonly List<PartitionState> _partitions = [];
    private readonly Thread _thread;
    private PartitionState[] _requestPartitions = new PartitionState[16];
    private long[] _requestOffsets = new long[16];
    private int[] _requestEpochs = new int[16];
    private int _requestCount;
    private bool _inFlight;
    private int _buffered;
    private bool _stopping;
    private long _backoffUntil;
    private WireConnection? _connection;
    private short _version;

    public Fetcher(FetchHub hub, ClientOptions options, FetchSettings settings, int nodeId, BrokerEndpoint endpoint)
    {
        _hub = hub;
        _options = options;
        _settings = settings;
        NodeId = nodeId;
        Endpoint = endpoint;
        _thread = new Thread(Run) { IsBackground = true, Name = $"fastmq-fetch {endpoint}" };
        _thread.Start();
    }

    public int NodeId { get; }

    public BrokerEndpoint Endpoint { get; }

    /// <summary>Why the last connect or request failed, for diagnostics; null after a success.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Hub lock: partitions this fetcher reads.</summary>
    public int PartitionCount => _partitions.Count;

    /// <summary>Adds a partition (hub lock held); kept sorted by topic so requests group topics.</summary>
    public void AddLocked(PartitionState partition)
    {
        int i = 0;
        while (i < _partitions.Count && _partitions[i].Id.CompareTo(partition.Id) < 0)
        {
            i++;
        }
        _partitions.Insert(i, partition);
        Monitor.PulseAll(_hub.Sync);
    }

    /// <summary>Removes a partition (hub lock held).</summary>
    public void RemoveLocked(PartitionState partition) => _partitions.Remove(partition);

    /// <summary>The application released a fetch this fetcher published (hub lock held).</summary>
    public void OnReleasedLocked()
    {
        _buffered--;
        Monitor.PulseAll(_hub.Sync);
    }

    public void OnResponse(int correlationId, ApiKey apiKey, short version, PooledFrame frame, int bodyOffset, long state)
    {
        lock (_hub.Sync)
        {
            _inFlight = false;
            CompletedFetch fetch = _hub.Rent();
            bool errors;
            try
            {
                errors = Scan(frame.Span, bodyOffset, version, fetch);
            }
            catch (KafkaProtocolException e)
            {
                LastError = new BrokerProtocolException($"malformed Fetch v{version} response from {Endpoint}: {e.Message}", e);
                errors = true;
                _hub.Return(fetch);
                fetch = null!;
            }
            if (fetch is not null && fetch.SliceCount > 0)
            {
                fetch.Owner = this;
                fetch.Frame = frame;
                _buffered++;
                _hub.Publish(fetch);
            }
            else
            {
                frame.Release();
                if (fetch is not null)
                {
                    _hub.Return(fetch);
                }
                Monitor.PulseAll(_hub.Sync);
            }
            if (errors)
            {
                _backoffUntil = Stopwatch.GetTimestamp() + ErrorBackoffTicks;
            }
        }
    }

    public void OnFailure(int correlationId, Exception error, long state)
    {
        lock (_hub.Sync)
        {
            _inFlight = false;
            LastError = error;
            _backoffUntil = Stopwatch.GetTimestamp() + ErrorBackoffTicks;
            Monitor.PulseAll(_hub.Sync);
        }
    }

    public void Dispose()
    {
        lock (_hub.Sync)
        {
            _stopping = true;
            Monitor.PulseAll(_hub.Sync);
        }
        if (_thread != Thread.CurrentThread)
        {
            _thread.Join(TimeSpan.FromSeconds(5));
        }
        _connection?.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            lock (_hub.Sync)
            {
                while (true)
                {
                    if (_stopping || _hub.Closing)
                    {
                        return;
                    }
                    if (!_inFlight && _buffered < MaxBufferedFetches && Stopwatch.GetTimestamp() >= _backoffUntil
                        && CollectRequestLocked())
                    {
                        break;
                    }
                    Monitor.Wait(_hub.Sync, 50);
                }
                _inFlight = true;
            }
            if (!EnsureConnected())
            {
                Backoff(ConnectBackoffTicks);
                continue;
            }
            try
            {
                var body = new FetchRequestBody(_requestPartitions, _requestOffsets, _requestCount, _settings.MaxWaitMs,
                    _settings.MinBytes, _settings.MaxBytes, _settings.PartitionMaxBytes, _settings.IsolationLevel);
                _connection!.Send(ApiKey.Fetch, _version, ref body, this, 0);
            }
            catch (Exception e) when (e is ClientException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                LastError = e;
                Backoff(ErrorBackoffTicks);
            }
        }
    }

    private void Backoff(long ticks)
    {
        lock (_hub.Sync)
        {
            _inFlight = false;
            _backoffUntil = Stopwatch.GetTimestamp() + ticks;
        }
    }

    private bool EnsureConnected()
    {
        if (_connection is { IsUsable: true })
        {
            return true;
        }
        _connection?.Dispose();
        _connection = null;
        try
        {
            _connection = WireConnection.Connect(Endpoint, _options, maxInFlight: 2);
            _version = _connection.Versions.Require(ApiKey.Fetch);
            LastError = null;
            return true;
        }
        catch (ClientException e)
        {
            LastError = e;
            return false;
        }
    }

    /// <summary>Fills the request arrays with the partitions to fetch now (hub lock held); false when there are none.</summary>
    private bool CollectRequestLocked()
    {
        if (_requestPartitions.Length < _partitions.Count)
        {
            int size = Math.Max(_partitions.Count, _requestPartitions.Length * 2);
            _requestPartitions = new PartitionState[size];
            _requestOffsets = new long[size];
            _requestEpochs = new int[size];
        }
        int n = 0;
        foreach (PartitionState p in _partitions)
        {
            if (!p.Paused && !p.Revoked && !p.NeedsReset && p.FetchOffset >= 0)
            {
                _requestPartitions[n] = p;
                _requestOffsets[n] = p.FetchOffset;
                _requestEpochs[n] = p.Epoch;
                n++;
            }
        }
        _requestCount = n;
        return n > 0;
    }

    /// <summary>
    /// Walks the response (hub lock held): per partition, checks it against the request, advances its fetch offset
    /// past the complete batches and adds a slice for them. Returns true when some partition reported an error.
    /// </summary>
    private bool Scan(ReadOnlySpan<byte> frame, int bodyOffset, short version, CompletedFetch fetch)
    {
        bool flexible = version >= FetchRequest.FirstFlexibleVersion;
        var reader = new KafkaReader(frame);
        reader.Seek(bodyOffset);
        reader.ReadInt32(); // throttle time
        bool errors = false;
        if (version >= 7)
        {
            var error = (ErrorCode)reader.ReadInt16();
            reader.ReadInt32(); // session id
            if (error != ErrorCode.None)
            {
                LastError = new BrokerErrorException(error, $"Fetch from {Endpoint}");
                _hub.MetadataStale = true;
                return true;
            }
        }
        int topics = reader.ReadArrayCount(flexible, flexible ? 3 : 6);
        for (int t = 0; t < topics; t++)
        {
            ReadOnlySpan<byte> topic = reader.ReadStringSpan(flexible);
            int partitions = reader.ReadArrayCount(flexible, 30);
            for (int i = 0; i < partitions; i++)
            {
                int index = reader.ReadInt32();
                var error = (ErrorCode)reader.ReadInt16();
                long highWatermark = reader.ReadInt64();
                reader.ReadInt64(); // last stable offset
                if (version >= 5)
                {
                    reader.ReadInt64(); // log start offset
                }
                int aborted = reader.ReadNullableArrayCount(flexible, flexible ? 17 : 16);
                for (int a = 0; a < aborted; a++)
                {
                    reader.Skip(16);
                    if (flexible)
                    {
                        reader.SkipTaggedFields();
                    }
                }
                if (version >= 11)
                {
                    reader.ReadInt32(); // preferred read replica
                }
                ReadOnlySpan<byte> records = reader.ReadNullableBytes(flexible, out _);
                int recordsStart = reader.Position - records.Length;
                if (flexible)
                {
                    reader.SkipTaggedFields();
                }
                errors |= OnPartition(topic, index, error, highWatermark, records, recordsStart, fetch);
            }
            if (flexible)
            {
                reader.SkipTaggedFields();
            }
        }
        return errors;
    }

    private bool OnPartition(ReadOnlySpan<byte> topic, int index, ErrorCode error, long highWatermark,
        ReadOnlySpan<byte> records, int recordsStart, CompletedFetch fetch)
    {
        int slot = -1;
        for (int i = 0; i < _requestCount; i++)
        {
            if (_requestPartitions[i].Id.Partition == index && topic.SequenceEqual(_requestPartitions[i].TopicUtf8))
            {
                slot = i;
                break;
            }
        }
        if (slot < 0)
        {
            return false;
        }
        PartitionState p = _requestPartitions[slot];
        if (p.Epoch != _requestEpochs[slot] || p.Revoked || p.FetchOffset != _requestOffsets[slot])
        {
            return false; // sought, paused or revoked since the request: the data is stale
        }
        p.LastError = error;
        switch (error)
        {
            case ErrorCode.None:
                break;
            case ErrorCode.OffsetOutOfRange:
                p.NeedsReset = true;
                _hub.ResetNeeded = true;
                return true;
            case ErrorCode.NotLeaderOrFollower:
            case ErrorCode.UnknownTopicOrPartition:
            case ErrorCode.LeaderNotAvailable:
            case ErrorCode.FencedLeaderEpoch:
            case ErrorCode.UnknownLeaderEpoch:
            case ErrorCode.UnknownTopicId:
                _hub.MetadataStale = true;
                return true;
            default:
                return true;
        }
        p.HighWatermark = highWatermark;
        long next = _requestOffsets[slot];
        int used = 0;
        while (records.Length - used >= RecordBatchDescriptor.HeaderSize)
        {
            var header = new RecordBatchHeader(records[used..]);
            int size = header.TotalSize;
            if (size < RecordBatchDescriptor.HeaderSize)
            {
                // Corrupt: hand it over whole so that the application's batch check reports it precisely.
                used = records.Length;
                break;
            }
            if (size > records.Length - used)
            {
                break; // trailing partial batch (the broker cut it at the size limit)
            }
            next = Math.Max(next, header.LastOffset + 1);
            used += size;
        }
        if (used > 0)
        {
            p.FetchOffset = next;
            fetch.Add(new FetchSlice(p, p.Epoch, next, recordsStart, used));
        }
        return false;
    }
}
