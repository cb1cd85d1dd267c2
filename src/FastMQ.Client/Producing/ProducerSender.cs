using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using FastMQ.Client.Internal;
using FastMQ.Client.Wire;
using FastMQ.Protocol.Compression;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Records;

namespace FastMQ.Client.Producing;

/// <summary>
/// The producer's sender thread: seals lingering batches, drains ready batches into pipelined Produce requests (one
/// per broker per round, at most one batch per partition), and turns responses into delivery reports, retries or
/// failures.
/// </summary>
/// <remarks>
/// <para>Threading: one thread owns the partitions' sender-side state, the node links and the compressor. Receive
/// threads only record a response into its <see cref="ProduceInflight"/> and queue it here (a lock per response);
/// delivery handlers run on this thread.</para>
/// <para>Idempotence: a batch gets its sequence number when first taken from its ready queue and keeps it (and its
/// bytes) across resends. Resends of a partition go out in sequence order and only once nothing of that partition is
/// in flight, so a retried batch can never overtake, or be overtaken by, another of the same partition. A broker that
/// already has a resent batch answers DUPLICATE_SEQUENCE_NUMBER (reported as delivered, offset -1) or, as FastMQ and
/// Kafka do for recent batches, the original offset. A batch that fails for good after getting its sequence number
/// leaves a hole that an epoch bump closes (ProducerSender.Epoch.cs).</para>
/// </remarks>
internal sealed partial class ProducerSender : IResponseSink, IDisposable
{
    private const ErrorCode NetworkException = (ErrorCode)13;
    private const ErrorCode BrokerNotAvailable = (ErrorCode)8;
    /// <summary>UNKNOWN_PRODUCER_ID: the broker has no state for the producer id (Kafka sends it; FastMQ does not).</summary>
    private const ErrorCode UnknownProducerId = (ErrorCode)59;

    private readonly ProducerMetadata _metadata;
    private readonly RecordAccumulator _accumulator;
    private readonly ClientOptions _options;
    private readonly ManualResetEventSlim _wake = new(false, 0);
    private readonly Dictionary<int, NodeLink> _nodes = [];
    private readonly Stack<ProduceInflight> _freeRequests = new();
    private readonly object _doneLock = new();
    private readonly RecordCompressor _compressor = new();
    private readonly ArrayBufferWriter<byte> _scratch = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _compressed = new(64 * 1024);
    private readonly Thread _thread;
    private readonly short _acks;
    private readonly int _requestTimeoutMs;
    private readonly int _maxInFlight;
    private readonly int _maxRequestBytes;
    private readonly int _retries;
    private readonly long _lingerTicks;
    private readonly long _backoffTicks;
    private readonly CompressionCodec _codec;
    private readonly bool _idempotent;
    private ProduceInflight[] _requests = [];
    private ProduceInflight? _doneHead;
    private ProduceInflight? _doneTail;
    private long _producerId = -1;
    private short _producerEpoch = -1;
    private int _flushRequests;
    private volatile bool _stopping;
    private volatile bool _metadataStale;
    private long _stopDeadlineTicks;
    private long _nextMetadataTicks;
    private long _nextExpiryTicks;
    private long _callbackFailures;
    private Exception? _fatal;

    public ProducerSender(ProducerConfig config, ClientOptions options, ProducerMetadata metadata, RecordAccumulator accumulator)
    {
        _metadata = metadata;
        _accumulator = accumulator;
        _options = options;
        _acks = (short)config.Acks;
        _requestTimeoutMs = (int)Math.Min(config.RequestTimeout.TotalMilliseconds, int.MaxValue);
        _maxInFlight = config.MaxInFlightRequestsPerConnection;
        _maxRequestBytes = config.MaxRequestSize;
        _retries = config.Retries;
        _lingerTicks = (long)(config.Linger.TotalSeconds * Stopwatch.Frequency);
        _backoffTicks = (long)(config.RetryBackoff.TotalSeconds * Stopwatch.Frequency);
        _codec = (CompressionCodec)config.CompressionType;
        _idempotent = config.EnableIdempotence;
        _thread = new Thread(Run) { IsBackground = true, Name = "fastmq-producer-sender" };
    }

    /// <summary>Delivery handlers that threw (the exception is swallowed so the sender keeps going).</summary>
    public long CallbackFailures => Interlocked.Read(ref _callbackFailures);

    public bool IsSenderThread => Thread.CurrentThread == _thread;

    /// <summary>Any thread: the producer id batches are sealed with now (-1 without idempotence).</summary>
    public long ProducerId => Volatile.Read(ref _producerId);

    /// <summary>Any thread: the producer epoch batches are sealed with now (-1 without idempotence).</summary>
    public short ProducerEpoch => Volatile.Read(ref _producerEpoch);

    public void Start(long producerId, short producerEpoch)
    {
        _producerId = producerId;
        _producerEpoch = producerEpoch;
        _thread.Start();
    }

    /// <summary>Any thread: the sender has something to look at.</summary>
    public void Wake() => _wake.Set();

    /// <summary>While positive, open batches are sealed at once instead of lingering.</summary>
    public void BeginFlush()
    {
        Interlocked.Increment(ref _flushRequests);
        _wake.Set();
    }

    public void EndFlush() => Interlocked.Decrement(ref _flushRequests);

    public void Dispose() => Stop(TimeSpan.Zero);

    /// <summary>
    /// Stops the thread once everything queued is delivered or <paramref name="timeout"/> passes; whatever is left
    /// is reported as failed.
    /// </summary>
    public void Stop(TimeSpan timeout)
    {
        if (!_thread.IsAlive)
        {
            return;
        }
        Volatile.Write(ref _stopDeadlineTicks, Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency));
        _stopping = true;
        _wake.Set();
        _thread.Join();
    }

    // ---- IResponseSink: receive threads ----

    public void OnResponse(int correlationId, ApiKey apiKey, short version, PooledFrame frame, int bodyOffset, long state)
    {
        ProduceInflight request = Volatile.Read(ref _requests)[(int)state];
        try
        {
            ProduceResponseParser.Apply(frame.Span[bodyOffset..], version, request);
        }
        catch (FastMQ.Protocol.Primitives.KafkaProtocolException e)
        {
            request.Failure = new BrokerProtocolException($"malformed Produce v{version} response: {e.Message}", e);
        }
        finally
        {
            frame.Release();
        }
        PostDone(request);
    }

    public void OnFailure(int correlationId, Exception error, long state)
    {
        ProduceInflight request = Volatile.Read(ref _requests)[(int)state];
        request.Failure = error;
        PostDone(request);
    }

    private void PostDone(ProduceInflight request)
    {
        request.NextDone = null;
        lock (_doneLock)
        {
            if (_doneTail is null)
            {
                _doneHead = request;
            }
            else
            {
                _doneTail.NextDone = request;
            }
            _doneTail = request;
        }
        _wake.Set();
    }

    // ---- the sender thread ----

    private void Run()
    {
        _accumulator.SenderThreadId = Environment.CurrentManagedThreadId;
        try
        {
            Loop();
        }
        catch (Exception e)
        {
            // A bug here must not leave producers waiting forever: record it and fail what is left.
            Volatile.Write(ref _fatal, e);
        }
        Shutdown();
    }

    /// <summary>The exception that stopped the sender thread, if one did (then every later record fails).</summary>
    public Exception? Fatal => Volatile.Read(ref _fatal);

    private void Loop()
    {
        long allocated = ClientThreadAllocations.Begin();
        while (true)
        {
            ClientThreadAllocations.Sample(ref allocated);
            _wake.Reset();
            bool worked = ProcessCompletions();
            long now = Stopwatch.GetTimestamp();
            worked |= MaybeBumpEpoch(now);
            if (_metadataStale && now >= _nextMetadataTicks)
            {
                RefreshMetadata(now);
            }
            bool force = Volatile.Read(ref _flushRequests) > 0 || _stopping;
            bool memoryPressure = _accumulator.Memory.Waiters > 0;
            long nextDue = _accumulator.Sweep(now, _lingerTicks, force, memoryPressure);
            worked |= Drain(now);
            if (now >= _nextExpiryTicks)
            {
                ExpireQueued(now);
                _nextExpiryTicks = now + Stopwatch.Frequency / 10;
            }
            if (_stopping && (_accumulator.OutstandingBatches == 0 || now >= Volatile.Read(ref _stopDeadlineTicks)))
            {
                break;
            }
            if (!worked)
            {
                long waitTicks = nextDue == long.MaxValue ? Stopwatch.Frequency / 10 : nextDue - now;
                int waitMs = force || memoryPressure ? 1 : (int)Math.Clamp((waitTicks * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency, 1, 100);
                _wake.Wait(waitMs);
            }
        }
    }

    private bool ProcessCompletions()
    {
        ProduceInflight? done;
        lock (_doneLock)
        {
            done = _doneHead;
            _doneHead = null;
            _doneTail = null;
        }
        bool any = done is not null;
        while (done is not null)
        {
            ProduceInflight next = done.NextDone!;
            Complete(done);
            done = next;
        }
        return any;
    }

    private void Complete(ProduceInflight request)
    {
        for (int i = 0; i < request.Count; i++)
        {
            ProducerBatch batch = request.Batches[i];
            batch.Partition.InFlight--;
            _inFlightBatches--;
            if (request.Failure is not null)
            {
                _metadataStale = true;
                batch.OutcomeUnknown = true;
                Retry(batch, NetworkException, request.Failure.Message);
                continue;
            }
            if (!batch.HasResult)
            {
                batch.OutcomeUnknown = true;
                Retry(batch, ErrorCode.UnknownServerError, "the Produce response did not mention this partition");
                continue;
            }
            ErrorCode error = batch.ResultError;
            switch (error)
            {
                case ErrorCode.None:
                    Deliver(batch, batch.ResultOffset, ErrorCode.None, null);
                    break;
                case ErrorCode.DuplicateSequenceNumber:
                    // The broker already has this batch from an earlier send whose answer was lost.
                    Deliver(batch, -1, ErrorCode.None, null);
                    break;
                case ErrorCode.NotLeaderOrFollower or ErrorCode.UnknownTopicOrPartition or ErrorCode.LeaderNotAvailable
                    or ErrorCode.FencedLeaderEpoch or ErrorCode.UnknownLeaderEpoch or BrokerNotAvailable:
                    _metadataStale = true;
                    Retry(batch, error, batch.ResultMessage);
                    break;
                case ErrorCode.NotEnoughReplicas:
                    Retry(batch, error, batch.ResultMessage);
                    break;
                case ErrorCode.RequestTimedOut or NetworkException or ErrorCode.NotEnoughReplicasAfterAppend
                    or ErrorCode.KafkaStorageError:
                    // The leader may have appended the batch before the error.
                    batch.OutcomeUnknown = true;
                    Retry(batch, error, batch.ResultMessage);
                    break;
                case ErrorCode.OutOfOrderSequenceNumber or UnknownProducerId when _idempotent:
                    OnSequenceRefused(batch, error);
                    break;
                default:
                    Deliver(batch, -1, error, batch.ResultMessage ?? KafkaErrorNames.Of(error));
                    break;
            }
        }
        RecycleRequest(request);
    }

    /// <summary>
    /// Queues <paramref name="batch"/> to be resent, or reports it failed when the producer is closing, its delivery
    /// timeout passed or (when <paramref name="countAttempt"/>) its retries are used up.
    /// </summary>
    private void Retry(ProducerBatch batch, ErrorCode error, string? message, bool countAttempt = true)
    {
        long now = Stopwatch.GetTimestamp();
        if (_stopping && now >= Volatile.Read(ref _stopDeadlineTicks))
        {
            Deliver(batch, -1, error, "the producer was disposed before the record was delivered: " + message);
            return;
        }
        if ((countAttempt && batch.Attempts >= _retries) || now >= batch.DeadlineTicks)
        {
            Deliver(batch, -1, now >= batch.DeadlineTicks ? ErrorCode.RequestTimedOut : error,
                $"not delivered after {batch.Attempts + 1} attempts: {KafkaErrorNames.Of(error)} {message}");
            return;
        }
        if (countAttempt)
        {
            batch.Attempts++;
        }
        batch.HasResult = false;
        batch.RetryNotBeforeTicks = now + _backoffTicks;
        batch.Partition.InsertRetry(batch);
    }

    private void Deliver(ProducerBatch batch, long baseOffset, ErrorCode error, string? message)
    {
        PartitionState partition = batch.Partition;
        if (_idempotent && batch.BaseSequence >= 0)
        {
            if (error == ErrorCode.None)
            {
                partition.AckedSequenceEnd = NextSequenceAfter(batch.BaseSequence, batch.Count);
            }
            else
            {
                // Its sequence numbers will never reach the broker: later batches of the partition need a new epoch.
                RequestEpochBump();
            }
        }
        string topic = partition.Topic.Name;
        for (int i = 0; i < batch.Count; i++)
        {
            ref readonly RecordMeta meta = ref batch.Meta(i);
            if (meta.Handler is null)
            {
                continue;
            }
            var report = new DeliveryReport(topic, partition.Index, baseOffset >= 0 ? baseOffset + i : -1, meta.TimestampMs,
                error, message, meta.State, meta.StateObject);
            try
            {
                meta.Handler.OnDelivery(in report);
            }
            catch (Exception)
            {
                // A handler's bug must not stop every other record's delivery; it is counted for diagnosis.
                Interlocked.Increment(ref _callbackFailures);
            }
        }
        _accumulator.Recycle(batch);
    }

    private void RefreshMetadata(long now)
    {
        try
        {
            _metadata.Refresh();
            _metadataStale = false;
        }
        catch (Exception e) when (e is ProduceException or ClientException)
        {
            // Brokers unreachable: keep the batches queued and try again after the backoff.
        }
        _nextMetadataTicks = now + Math.Max(_backoffTicks, Stopwatch.Frequency / 20);
    }

    private void RecycleRequest(ProduceInflight request)
    {
        request.Clear();
        _freeRequests.Push(request);
    }

    private ProduceInflight RentRequest(NodeLink node)
    {
        if (!_freeRequests.TryPop(out ProduceInflight? request))
        {
            request = new ProduceInflight(_requests.Length);
            var grown = new ProduceInflight[_requests.Length + 1];
            _requests.CopyTo(grown, 0);
            grown[^1] = request;
            // Release: a receive thread looking the request up by id sees the new table with the object built.
            Volatile.Write(ref _requests, grown);
        }
        request.Node = node;
        return request;
    }
}
