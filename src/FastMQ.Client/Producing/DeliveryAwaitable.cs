using System;
using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;
using FastMQ.Client.Internal;

namespace FastMQ.Client.Producing;

/// <summary>
/// The pooled source behind <see cref="Producer.ProduceAsync"/>: a delivery handler that completes a
/// <see cref="System.Threading.Tasks.ValueTask{TResult}"/>, then returns itself to its pool when the result is read.
/// </summary>
/// <remarks>
/// Continuations run inline on the sender thread (no thread-pool hop, which would allocate a work item per record).
/// Code after <c>await ProduceAsync</c> therefore runs there until its next await: keep it short; producing is fine
/// (it never waits for memory on that thread). The pool is a <see cref="ConcurrentQueue{T}"/>: its ring segments are
/// reused once large enough, so renting and returning allocate nothing in steady state.
/// </remarks>
internal sealed class DeliveryAwaitable : IValueTaskSource<DeliveryResult>, IDeliveryHandler
{
    private readonly ConcurrentQueue<DeliveryAwaitable> _pool;
    private ManualResetValueTaskSourceCore<DeliveryResult> _core;

    private DeliveryAwaitable(ConcurrentQueue<DeliveryAwaitable> pool)
    {
        _pool = pool;
        _core.RunContinuationsAsynchronously = false;
    }

    public short Version => _core.Version;

    public static DeliveryAwaitable Rent(ConcurrentQueue<DeliveryAwaitable> pool) =>
        pool.TryDequeue(out DeliveryAwaitable? awaitable) ? awaitable : new DeliveryAwaitable(pool);

    public void OnDelivery(in DeliveryReport report)
    {
        if (report.IsSuccess)
        {
            _core.SetResult(new DeliveryResult(report.Topic, report.Partition, report.Offset, report.TimestampMs));
        }
        else
        {
            _core.SetException(new ProduceException(report.Error,
                $"delivery to {report.Topic}[{report.Partition}] failed: {KafkaErrorNames.Of(report.Error)}: {report.ErrorMessage}"));
        }
    }

    /// <summary>Returns an awaitable that was never handed out (Produce threw).</summary>
    public void Abandon()
    {
        _core.Reset();
        _pool.Enqueue(this);
    }

    public DeliveryResult GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            _pool.Enqueue(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
