using System;
using System.Diagnostics;
using System.Threading;
using Confluent.Kafka;

namespace FastMQ.PerfHarness;

/// <summary>
/// One consumer-group member on its own thread: subscribes to a topic and polls until stopped, recording when its
/// assignment changes (the client's assignment callbacks run on this thread, inside Consume) and counting the
/// messages it reads into an optional meter.
/// </summary>
internal sealed class GroupMember : IDisposable
{
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly Thread _thread;
    private readonly string _topic;
    private readonly ThroughputMeter? _meter;
    private readonly long[]? _nextOffsets;
    private volatile bool _stop;
    private int _assigned;
    private long _lastAssignTicks;
    private long _subscribedTicks;
    private long _firstMessageTicks;
    private long _lastMessageTicks;
    private long _errors;
    private string _firstError = "";

    /// <summary>A member of <c>config.GroupId</c> on <paramref name="topic"/>; <c>nextOffsets</c> (optional, shared by the
    /// members) receives, per partition, one past the highest offset read.</summary>
    public GroupMember(ConsumerConfig config, string topic, ThroughputMeter? meter, string name, long[]? nextOffsets = null)
    {
        _topic = topic;
        _meter = meter;
        _nextOffsets = nextOffsets;
        _consumer = new ConsumerBuilder<byte[], byte[]>(config)
            .SetPartitionsAssignedHandler((_, parts) =>
            {
                Volatile.Write(ref _assigned, parts.Count);
                Volatile.Write(ref _lastAssignTicks, Stopwatch.GetTimestamp());
            })
            .SetPartitionsRevokedHandler((_, _) => Volatile.Write(ref _assigned, 0))
            .SetPartitionsLostHandler((_, _) => Volatile.Write(ref _assigned, 0))
            .SetErrorHandler((_, e) => NoteError(e.Reason))
            .Build();
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
    }

    /// <summary>Partitions assigned now (0 while revoked or before the first assignment).</summary>
    public int Assigned => Volatile.Read(ref _assigned);

    /// <summary>Stopwatch ticks of the latest assignment callback, 0 before the first.</summary>
    public long LastAssignTicks => Volatile.Read(ref _lastAssignTicks);

    /// <summary>Stopwatch ticks taken just before the Subscribe call, 0 before it.</summary>
    public long SubscribedTicks => Volatile.Read(ref _subscribedTicks);

    public long FirstMessageTicks => Volatile.Read(ref _firstMessageTicks);

    public long LastMessageTicks => Volatile.Read(ref _lastMessageTicks);

    public long Errors => Interlocked.Read(ref _errors);

    public string FirstError => Volatile.Read(ref _firstError);

    public void Start() => _thread.Start();

    /// <summary>Asks the poll loop to stop; the member then leaves the group (Close).</summary>
    public void RequestStop() => _stop = true;

    public void Dispose()
    {
        _stop = true;
        if (_thread.IsAlive)
        {
            _thread.Join();
        }
        _consumer.Dispose();
    }

    private void Loop()
    {
        Volatile.Write(ref _subscribedTicks, Stopwatch.GetTimestamp());
        _consumer.Subscribe(_topic);
        while (!_stop)
        {
            try
            {
                ConsumeResult<byte[], byte[]>? r = _consumer.Consume(TimeSpan.FromMilliseconds(20));
                if (r?.Message is null)
                {
                    continue;
                }
                long now = Stopwatch.GetTimestamp();
                if (_firstMessageTicks == 0)
                {
                    Volatile.Write(ref _firstMessageTicks, now);
                }
                Volatile.Write(ref _lastMessageTicks, now);
                _meter?.Add(1, r.Message.Value?.Length ?? 0);
                if (_nextOffsets is not null)
                {
                    // After a rebalance two members may briefly read the same partition: keep the maximum.
                    ref long slot = ref _nextOffsets[r.Partition.Value];
                    long next = r.Offset.Value + 1;
                    long seen = Volatile.Read(ref slot);
                    while (next > seen && Interlocked.CompareExchange(ref slot, next, seen) != seen)
                    {
                        seen = Volatile.Read(ref slot);
                    }
                }
            }
            catch (ConsumeException e)
            {
                NoteError(e.Error.Reason);
            }
        }
        try
        {
            _consumer.Close();
        }
        catch (KafkaException e)
        {
            NoteError("close: " + e.Error.Reason);
        }
    }

    private void NoteError(string reason)
    {
        if (Interlocked.Increment(ref _errors) == 1)
        {
            Volatile.Write(ref _firstError, reason);
        }
    }
}
