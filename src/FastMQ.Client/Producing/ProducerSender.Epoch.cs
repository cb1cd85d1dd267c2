using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Protocol.Messages;

namespace FastMQ.Client.Producing;

/// <summary>
/// Epoch bumps of the idempotent producer (KIP-360): how a partition recovers from a hole in its sequence numbers.
/// </summary>
/// <remarks>
/// <para>Why: the broker appends a producer's batches of a partition only in sequence order. When a batch that already
/// has its sequence number fails for good (a non-retriable error, retries or delivery.timeout.ms used up) its numbers
/// are never filled, so every later batch would be refused with OUT_OF_ORDER_SEQUENCE_NUMBER. UNKNOWN_PRODUCER_ID (the
/// broker dropped the producer's state) and OUT_OF_ORDER for the very batch the broker should expect next mean the
/// same: the sequence numbers no longer line up. A new epoch lets every partition start again at sequence 0.</para>
/// <para>How: <see cref="RequestEpochBump"/> stops the drain from taking new batches. Once no batch is in flight and no
/// batch waiting to be resent has an unknown outcome (those are resent first, under the old epoch, until an answer
/// settles them), InitProducerId runs on the thread pool with the current id and epoch. With the answer, every
/// partition's resend queue is re-sequenced from 0 under the new epoch, in its original order (those batches are known
/// not to be in the log), and new batches continue from there. Failed batches were already reported, once.</para>
/// <para>Cost: none on the per-record path; the bump allocates (a task, a request), which is fine for a rare event.</para>
/// </remarks>
internal sealed partial class ProducerSender
{
    private bool _epochBumpWanted;
    private Task<(long ProducerId, short Epoch)>? _epochBump;
    private long _nextEpochBumpTicks;
    private int _inFlightBatches;

    /// <summary>Sender: the partitions' sequence numbers must start again under a new epoch.</summary>
    private void RequestEpochBump()
    {
        if (_idempotent)
        {
            _epochBumpWanted = true;
        }
    }

    /// <summary>
    /// Sender: the broker checked <paramref name="batch"/> against its producer state and did not append it
    /// (OUT_OF_ORDER_SEQUENCE_NUMBER or UNKNOWN_PRODUCER_ID).
    /// </summary>
    private void OnSequenceRefused(ProducerBatch batch, ErrorCode error)
    {
        batch.OutcomeUnknown = false;
        if (_epochBumpWanted)
        {
            // Behind a hole the bump will close: not this batch's failure, so it costs no attempt.
            Retry(batch, error, batch.ResultMessage, countAttempt: false);
            return;
        }
        if (error == ErrorCode.OutOfOrderSequenceNumber && batch.BaseSequence != batch.Partition.AckedSequenceEnd)
        {
            // An earlier batch of the partition is being resent; this one follows it.
            Retry(batch, error, batch.ResultMessage);
            return;
        }
        // Refused although it is the batch the broker should expect next: the broker's state for this producer is gone.
        RequestEpochBump();
        Retry(batch, error, batch.ResultMessage);
    }

    /// <summary>Sender, each turn: starts a wanted bump when it may, applies a finished one. True when it did either.</summary>
    private bool MaybeBumpEpoch(long now)
    {
        if (!_epochBumpWanted)
        {
            return false;
        }
        if (_epochBump is { } running)
        {
            if (!running.IsCompleted)
            {
                return false;
            }
            _epochBump = null;
            if (!running.IsCompletedSuccessfully)
            {
                // No broker granted the epoch: batches stay queued (their delivery timeout still runs) and we ask again.
                _nextEpochBumpTicks = now + Math.Max(_backoffTicks, Stopwatch.Frequency / 10);
                return false;
            }
            ApplyEpoch(running.Result.ProducerId, running.Result.Epoch);
            return true;
        }
        if (_inFlightBatches > 0 || now < _nextEpochBumpTicks || HasUnsettledResend())
        {
            return false;
        }
        _epochBump = StartEpochBump(_producerId, _producerEpoch, TimeSpan.FromMilliseconds(_requestTimeoutMs));
        return true;
    }

    /// <summary>
    /// Runs InitProducerId on the thread pool: the control-plane call blocks (metadata lock, request timeout). A method
    /// of its own because the lambda's closure is allocated on entry to the scope that declares what it captures, and
    /// <see cref="MaybeBumpEpoch"/> runs every turn.
    /// </summary>
    private Task<(long ProducerId, short Epoch)> StartEpochBump(long producerId, short epoch, TimeSpan timeout)
    {
        Task<(long, short)> bump = Task.Run(() => _metadata.InitProducerId(producerId, epoch, timeout));
        bump.ContinueWith(static (t, state) =>
        {
            _ = t.Exception; // observed here; MaybeBumpEpoch only retries
            ((ProducerSender)state!).Wake();
        }, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return bump;
    }

    /// <summary>Whether a partition's next resend may already be in the log; it must be resent under its old numbers first.</summary>
    private bool HasUnsettledResend()
    {
        foreach (PartitionState partition in _metadata.Partitions)
        {
            // Only the head matters: the broker appends a partition's batches in sequence order, so a batch behind a
            // head that is known not to be in the log cannot be there either.
            if (partition.RetryHead is { OutcomeUnknown: true })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Sender, nothing in flight: switches to the new id/epoch and re-sequences every batch waiting to be resent.</summary>
    private void ApplyEpoch(long producerId, short epoch)
    {
        // Release: Producer.ProducerId/ProducerEpoch readers on other threads see the new pair once the sender uses it.
        Volatile.Write(ref _producerId, producerId);
        Volatile.Write(ref _producerEpoch, epoch);
        _epochBumpWanted = false;
        foreach (PartitionState partition in _metadata.Partitions)
        {
            Debug.Assert(partition.InFlight == 0);
            int sequence = 0;
            for (ProducerBatch? batch = partition.RetryHead; batch is not null; batch = batch.Next)
            {
                batch.Restamp(producerId, epoch, sequence);
                sequence = NextSequenceAfter(sequence, batch.Count);
            }
            partition.NextSequence = sequence;
            partition.AckedSequenceEnd = 0;
        }
    }

    /// <summary>Sequence numbers wrap to 0 after int.MaxValue, as the Java client's do.</summary>
    private static int NextSequenceAfter(int sequence, int count) => (int)(((long)sequence + count) & int.MaxValue);
}
