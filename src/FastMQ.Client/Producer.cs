using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Client.Internal;
using FastMQ.Client.Producing;
using FastMQ.Protocol.Records;

namespace FastMQ.Client;

/// <summary>
/// A Kafka-protocol producer that allocates nothing per record: keys, values and headers are copied from the
/// caller's spans straight into pooled RecordBatch v2 buffers, sent by one background thread as pipelined Produce
/// requests, and acknowledged through an allocation-free <see cref="IDeliveryHandler"/> or a pooled awaitable.
/// </summary>
/// <remarks>
/// <para>Placement: an explicit partition, else murmur2 of the key (the Java client's partitioner, so the same key
/// lands on the same partition as with any Kafka client), else (null key) the current sticky partition, which moves on
/// each time its batch is sent.</para>
/// <para>Threading: every method is thread-safe. Each producing thread fills its own batches (no lock per record);
/// delivery reports run on the sender thread, in order per partition.</para>
/// <para>Back-pressure: when <see cref="ProducerConfig.BufferMemory"/> is used up, <c>Produce</c> waits (up to
/// <see cref="ProducerConfig.MaxBlock"/>, then throws <see cref="ProduceException"/>) and <c>TryProduce</c> returns
/// <see cref="ProduceStatus.Full"/>.</para>
/// <para>Lifecycle: the constructor reads the bootstrap metadata and, with idempotence, obtains a producer id; the
/// first record for a topic fetches its metadata (blocking, allocating, once). <see cref="Dispose"/> flushes for up to
/// <see cref="ProducerConfig.DeliveryTimeout"/>, then reports whatever is left as failed and closes the connections.</para>
/// </remarks>
public sealed class Producer : IDisposable, IAsyncDisposable
{
    /// <summary>Partition argument meaning "let the partitioner choose".</summary>
    public const int AnyPartition = -1;

    private readonly ProducerMetadata _metadata;
    private readonly RecordAccumulator _accumulator;
    private readonly ProducerSender _sender;
    private readonly ConcurrentQueue<DeliveryAwaitable> _awaitables = new();
    private readonly TimeSpan _closeTimeout;
    private int _disposed;

    /// <summary>
    /// Creates a producer and connects it. Throws <see cref="ArgumentException"/> for invalid settings and
    /// <see cref="ProduceException"/> when no broker grants a producer id (idempotence on).
    /// </summary>
    public Producer(ProducerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.ValidateAll();
        ClientOptions options = config.ToClientOptions();
        _closeTimeout = config.DeliveryTimeout;
        var memory = new BufferMemory(config.BufferMemory);
        _metadata = new ProducerMetadata(options);
        ProducerSender? sender = null;
        _accumulator = new RecordAccumulator(memory, config.BatchSize, config.MaxRequestSize, config.DeliveryTimeout,
            config.MaxBlock, () => sender!.Wake());
        sender = new ProducerSender(config, options, _metadata, _accumulator);
        _sender = sender;
        long producerId = -1;
        short epoch = -1;
        try
        {
            if (config.EnableIdempotence)
            {
                (producerId, epoch) = _metadata.InitProducerId(config.MaxBlock);
            }
        }
        catch (ClientException e)
        {
            _metadata.Dispose();
            throw new ProduceException(FastMQ.Protocol.Messages.ErrorCode.UnknownServerError,
                $"cannot start the producer: {e.Message}", e);
        }
        catch
        {
            _metadata.Dispose();
            throw;
        }
        _sender.Start(producerId, epoch);
    }

    /// <summary>
    /// The producer id the broker granted (idempotence), or -1. It changes only if an epoch bump (see the remarks of
    /// <see cref="ProducerConfig.EnableIdempotence"/>) exhausts the epochs of the current id.
    /// </summary>
    public long ProducerId => _sender.ProducerId;

    /// <summary>The producer epoch batches are sent with now (idempotence), or -1; tests read it.</summary>
    internal short ProducerEpoch => _sender.ProducerEpoch;

    /// <summary>Bytes of batch buffers in use now (bounded by <see cref="ProducerConfig.BufferMemory"/>).</summary>
    public long BufferedBytes => _accumulator.Memory.Used;

    /// <summary>Delivery handlers that threw; their exceptions are swallowed so that other records are still reported.</summary>
    public long DeliveryHandlerFailures => _sender.CallbackFailures;

    /// <summary>
    /// Queues a record for <paramref name="topic"/>, waiting for buffer memory if needed. Spans convert to
    /// <see cref="RecordBytes"/>; pass <see cref="RecordBytes.Null"/> for a null key or value. The bytes are copied
    /// before the call returns. <paramref name="handler"/> (optional) receives the delivery report with
    /// <paramref name="state"/> and <paramref name="stateObject"/>.
    /// </summary>
    public void Produce(string topic, RecordBytes key, RecordBytes value, ReadOnlySpan<ProduceHeader> headers = default,
        IDeliveryHandler? handler = null, long state = 0, object? stateObject = null) =>
        Enqueue(topic, AnyPartition, key, value, headers, handler, state, stateObject, block: true);

    /// <summary>As <see cref="Produce(string, RecordBytes, RecordBytes, ReadOnlySpan{ProduceHeader}, IDeliveryHandler?, long, object?)"/>, to an explicit partition (or <see cref="AnyPartition"/>).</summary>
    public void Produce(string topic, int partition, RecordBytes key, RecordBytes value,
        ReadOnlySpan<ProduceHeader> headers = default, IDeliveryHandler? handler = null, long state = 0, object? stateObject = null) =>
        Enqueue(topic, partition, key, value, headers, handler, state, stateObject, block: true);

    /// <summary>
    /// Queues a record without waiting: returns <see cref="ProduceStatus.Full"/> (and queues nothing) when buffer memory
    /// is used up. <paramref name="partition"/> may be <see cref="AnyPartition"/>.
    /// </summary>
    public ProduceStatus TryProduce(string topic, int partition, RecordBytes key, RecordBytes value,
        ReadOnlySpan<ProduceHeader> headers = default, IDeliveryHandler? handler = null, long state = 0, object? stateObject = null) =>
        Enqueue(topic, partition, key, value, headers, handler, state, stateObject, block: false);

    /// <summary>
    /// Queues a record and returns a pooled awaitable of its delivery: it completes on the sender thread with the
    /// offset, or throws <see cref="ProduceException"/>. Await it once; nothing is allocated per record.
    /// </summary>
    public ValueTask<DeliveryResult> ProduceAsync(string topic, RecordBytes key, RecordBytes value,
        ReadOnlySpan<ProduceHeader> headers = default, int partition = AnyPartition)
    {
        DeliveryAwaitable awaitable = DeliveryAwaitable.Rent(_awaitables);
        short token = awaitable.Version;
        try
        {
            Enqueue(topic, partition, key, value, headers, awaitable, 0, null, block: true);
        }
        catch
        {
            awaitable.Abandon();
            throw;
        }
        return new ValueTask<DeliveryResult>(awaitable, token);
    }

    /// <summary>
    /// Sends every queued record at once (ignoring linger) and waits until all were reported, or until
    /// <paramref name="timeout"/>; true when everything was reported. Must not be called from a delivery handler.
    /// </summary>
    public bool Flush(TimeSpan timeout) => FlushCore(timeout, CancellationToken.None);

    /// <summary>As <see cref="Flush(TimeSpan)"/>, waiting until done or <paramref name="cancellationToken"/> is cancelled (then throws <see cref="OperationCanceledException"/>).</summary>
    public void Flush(CancellationToken cancellationToken = default) =>
        FlushCore(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Flushes for up to <see cref="ProducerConfig.DeliveryTimeout"/>, reports anything left as failed, closes connections.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _sender.BeginFlush();
        _accumulator.WaitDrained(_closeTimeout, CancellationToken.None);
        _sender.EndFlush();
        _sender.Stop(TimeSpan.Zero);
        _metadata.Dispose();
        _accumulator.Dispose();
    }

    /// <summary>Runs <see cref="Dispose"/> on the thread pool.</summary>
    public ValueTask DisposeAsync() => new(Task.Run(Dispose));

    private bool FlushCore(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_sender.IsSenderThread)
        {
            throw new InvalidOperationException("Flush cannot be called from a delivery handler: it would wait for itself");
        }
        _sender.BeginFlush();
        try
        {
            return _accumulator.WaitDrained(timeout == Timeout.InfiniteTimeSpan ? TimeSpan.MaxValue : timeout, cancellationToken);
        }
        finally
        {
            _sender.EndFlush();
        }
    }

    private ProduceStatus Enqueue(string topic, int partition, RecordBytes key, RecordBytes value,
        ReadOnlySpan<ProduceHeader> headers, IDeliveryHandler? handler, long state, object? stateObject, bool block)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentNullException.ThrowIfNull(topic);
        if (_sender.Fatal is { } fatal)
        {
            throw new ProduceException(FastMQ.Protocol.Messages.ErrorCode.UnknownServerError,
                $"the producer's sender thread stopped: {fatal.Message}", fatal);
        }
        TopicState t = _metadata.GetTopic(topic);
        int count = t.Partitions.Length;
        int index;
        if (partition >= 0)
        {
            if (partition >= count)
            {
                throw new ArgumentOutOfRangeException(nameof(partition), partition,
                    $"topic '{topic}' has {count} partitions (0..{count - 1})");
            }
            index = partition;
        }
        else if (partition != AnyPartition)
        {
            throw new ArgumentOutOfRangeException(nameof(partition), partition, "use a partition index or Producer.AnyPartition");
        }
        else
        {
            index = key.IsNull ? t.StickyPartition : KeyPartitioner.PartitionFor(key.Span, count);
        }
        long timestampMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return _accumulator.Append(t.Partitions[index], timestampMs, key, value, headers, handler, state, stateObject, block);
    }
}
