using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading;
using FastMQ.Protocol.Records;

namespace FastMQ.Client.DeadLetter;

/// <summary>
/// An at-least-once processing loop: consume a record, run the handler, commit. A handler failure is retried with
/// exponential backoff; after <see cref="DeadLetterOptions.MaxAttempts"/> failures the record is written to the
/// dead-letter topic (<c>&lt;topic&gt;.dlq</c> by default) with <see cref="DeadLetterHeaders"/>, and only once that
/// write is acknowledged is the record committed as processed.
/// </summary>
/// <remarks>
/// <para>Guarantee: a record is committed only after its handler succeeded or its dead-letter copy was acknowledged,
/// so a crash re-delivers it rather than losing it (at-least-once; handlers should be idempotent).</para>
/// <para>Threading: runs on the thread that calls <see cref="Run"/> or <see cref="ProcessNext"/>, which must be the
/// consumer's application thread. The consumer must not auto-commit (<c>enable.auto.commit=false</c>): the processor
/// commits, every <see cref="DeadLetterOptions.CommitInterval"/> and when it stops.</para>
/// <para>Allocation: a record the handler accepts costs nothing beyond the handler; the dead-letter path (failures)
/// allocates its headers.</para>
/// </remarks>
public sealed class DeadLetterProcessor
{
    private readonly Consumer _consumer;
    private readonly Producer _producer;
    private readonly RecordHandler _handler;
    private readonly DeadLetterOptions _options;
    private long _nextCommitTicks;
    private bool _uncommitted;

    /// <summary>Creates a processor over a consumer (already subscribed or assigned) and a producer for the dead letters.</summary>
    public DeadLetterProcessor(Consumer consumer, Producer producer, RecordHandler handler, DeadLetterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(producer);
        ArgumentNullException.ThrowIfNull(handler);
        _options = options ?? new DeadLetterOptions();
        _options.Validate();
        _consumer = consumer;
        _producer = producer;
        _handler = handler;
    }

    /// <summary>Records the handler accepted (possibly after retries).</summary>
    public long Processed { get; private set; }

    /// <summary>Handler runs that failed and were retried.</summary>
    public long Retries { get; private set; }

    /// <summary>Records written to a dead-letter topic.</summary>
    public long DeadLettered { get; private set; }

    /// <summary>Processes records until <paramref name="cancellationToken"/> is cancelled, then commits what was processed.</summary>
    public void Run(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                ProcessNext(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
        finally
        {
            CommitNow();
        }
    }

    /// <summary>
    /// Consumes and processes at most one record, waiting up to <paramref name="timeout"/> for it; false when none
    /// came. Commits when the commit interval has passed.
    /// </summary>
    public bool ProcessNext(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        CommitIfDue();
        if (!_consumer.Consume(timeout, out ConsumeRecord record))
        {
            return false;
        }
        Exception? failure = null;
        int attempt = 1;
        for (; attempt <= _options.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                Retries++;
                cancellationToken.WaitHandle.WaitOne(_options.BackoffBefore(attempt));
                cancellationToken.ThrowIfCancellationRequested();
            }
            try
            {
                _handler(record);
                failure = null;
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failure = e;
            }
        }
        if (failure is null)
        {
            Processed++;
        }
        else
        {
            SendToDeadLetter(record, Math.Min(attempt, _options.MaxAttempts), failure);
            DeadLettered++;
        }
        _uncommitted = true;
        return true;
    }

    /// <summary>Commits the records processed so far (their positions) now.</summary>
    public void CommitNow()
    {
        if (_uncommitted)
        {
            _consumer.Commit();
            _uncommitted = false;
        }
        _nextCommitTicks = Stopwatch.GetTimestamp() + (long)(_options.CommitInterval.TotalSeconds * Stopwatch.Frequency);
    }

    private void CommitIfDue()
    {
        if (_uncommitted && Stopwatch.GetTimestamp() >= _nextCommitTicks)
        {
            CommitNow();
        }
    }

    private void SendToDeadLetter(in ConsumeRecord record, int attempts, Exception failure)
    {
        string topic = _options.TopicFor?.Invoke(record.Topic) ?? record.Topic + _options.TopicSuffix;
        var headers = new List<ProduceHeader>(record.HeaderCount + 7);
        foreach (RecordHeader h in record.Headers)
        {
            string name = Encoding.UTF8.GetString(h.Key);
            headers.Add(h.IsValueNull ? ProduceHeader.WithNullValue(name) : new ProduceHeader(name, h.Value.ToArray()));
        }
        string message = failure.Message.Length > DeadLetterHeaders.MaxErrorMessageChars
            ? failure.Message[..DeadLetterHeaders.MaxErrorMessageChars]
            : failure.Message;
        headers.Add(Text(DeadLetterHeaders.Topic, record.Topic));
        headers.Add(Text(DeadLetterHeaders.Partition, record.Partition.ToString(CultureInfo.InvariantCulture)));
        headers.Add(Text(DeadLetterHeaders.Offset, record.Offset.ToString(CultureInfo.InvariantCulture)));
        headers.Add(Text(DeadLetterHeaders.Timestamp, record.TimestampMs.ToString(CultureInfo.InvariantCulture)));
        headers.Add(Text(DeadLetterHeaders.Attempts, attempts.ToString(CultureInfo.InvariantCulture)));
        headers.Add(Text(DeadLetterHeaders.ErrorType, failure.GetType().FullName ?? failure.GetType().Name));
        headers.Add(Text(DeadLetterHeaders.ErrorMessage, message));
        RecordBytes key = record.IsKeyNull ? RecordBytes.Null : new RecordBytes(record.Key);
        RecordBytes value = record.IsValueNull ? RecordBytes.Null : new RecordBytes(record.Value);
        var delivery = _producer.ProduceAsync(topic, key, value, headers.ToArray()).AsTask();
        // The record is committed only after its dead-letter copy is durable: a failure here stops the loop.
        if (!delivery.Wait(_options.ProduceTimeout))
        {
            throw new ConsumerException(
                $"the dead-letter write of {record.Topic}[{record.Partition}]@{record.Offset} to '{topic}' was not acknowledged within {_options.ProduceTimeout}");
        }
    }

    private static ProduceHeader Text(string key, string value) => new(key, Encoding.UTF8.GetBytes(value));
}
