using FastMQ.Core;
using FastMQ.Memory;

namespace FastMQ.Storage;

/// <summary>Per-log settings; validated by <see cref="Validate"/> when a log opens.</summary>
public sealed class PartitionLogOptions
{
    /// <summary>Size a segment file is preallocated to; a segment rolls before a batch would cross it.</summary>
    /// <remarks>Defaults to 1 GiB. A multiple of 4096, at most 2 GiB − 4096 (index positions are int32).</remarks>
    public long SegmentBytes { get; init; } = 1L << 30;

    /// <summary>
    /// The active segment's file is preallocated (fallocate) in steps of this size as data approaches the allocated end,
    /// up to <see cref="SegmentBytes"/>, so an idle partition does not reserve a whole segment of disk.
    /// </summary>
    /// <remarks>Defaults to 4 MiB (a multiple of 4096). Each step is one fallocate on the shard thread (tens of µs).</remarks>
    public long PreallocateStepBytes { get; init; } = 4L << 20;

    /// <summary>Bytes to preallocate for an active segment holding <paramref name="dataBytes"/>: one step past the data, capped by the segment size.</summary>
    public long PreallocationFor(long dataBytes) => System.Math.Max(dataBytes, System.Math.Min(SegmentBytes, AlignedBuffer.AlignUp(dataBytes) + PreallocateStepBytes));

    /// <summary>Bytes between two offset-index entries (and time-index entries).</summary>
    /// <remarks>Defaults to 4096, as Kafka's index.interval.bytes.</remarks>
    public int IndexIntervalBytes { get; init; } = 4096;

    /// <summary>The aligned write buffer (also the in-memory tail cache) preallocated per log.</summary>
    /// <remarks>Defaults to 2 MiB. A multiple of 4096, at least <see cref="MaxBatchBytes"/> + 8192.</remarks>
    public int WriteBufferBytes { get; init; } = 2 << 20;

    /// <summary>Largest batch accepted (batchLength + 12); larger ones get <see cref="AppendStatus.TooLarge"/>.</summary>
    /// <remarks>Defaults to 1048588, Kafka's max.message.bytes.</remarks>
    public int MaxBatchBytes { get; init; } = 1048588;

    /// <summary>When the log issues fdatasync.</summary>
    /// <remarks>Defaults to <see cref="CommitPolicy.FsyncEachWrite"/>.</remarks>
    public CommitPolicy CommitPolicy { get; init; } = CommitPolicy.FsyncEachWrite;

    /// <summary>Roll the active segment once it has been active this long (and holds data); -1 = never.</summary>
    /// <remarks>Defaults to 7 days, as Kafka's segment.ms.</remarks>
    public long SegmentMaxAgeMs { get; init; } = 7L * 24 * 3600 * 1000;

    /// <summary>Delete the oldest sealed segments while the log is larger than this; -1 = unlimited.</summary>
    /// <remarks>Defaults to -1, as Kafka's retention.bytes.</remarks>
    public long RetentionBytes { get; init; } = -1;

    /// <summary>Delete sealed segments whose largest timestamp is older than this; -1 = unlimited.</summary>
    /// <remarks>Defaults to 7 days, as Kafka's retention.ms.</remarks>
    public long RetentionMs { get; init; } = 7L * 24 * 3600 * 1000;

    /// <summary>How long a log that hit a full disk waits before it retries the failed write.</summary>
    /// <remarks>Defaults to 100 ms.</remarks>
    public int DiskFullRetryIntervalMs { get; init; } = 100;

    public static PartitionLogOptions Default { get; } = new();

    /// <summary>The largest batch that can be appended: <see cref="MaxBatchBytes"/>, capped by the segment size.</summary>
    public int EffectiveMaxBatchBytes => (int)System.Math.Min(MaxBatchBytes, SegmentBytes);

    public void Validate()
    {
        if (SegmentBytes < 2 * AlignedBuffer.Alignment || SegmentBytes % AlignedBuffer.Alignment != 0
            || SegmentBytes > int.MaxValue - AlignedBuffer.Alignment + 1)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(SegmentBytes), $"{SegmentBytes} must be a multiple of {AlignedBuffer.Alignment} between 8 KiB and 2 GiB − 4 KiB");
        }
        if (PreallocateStepBytes < AlignedBuffer.Alignment || PreallocateStepBytes % AlignedBuffer.Alignment != 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(PreallocateStepBytes), $"{PreallocateStepBytes} must be a positive multiple of {AlignedBuffer.Alignment}");
        }
        if (IndexIntervalBytes <= 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(IndexIntervalBytes), "must be positive");
        }
        if (MaxBatchBytes < Protocol.Records.RecordBatchDescriptor.HeaderSize)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(MaxBatchBytes), "must hold at least a batch header");
        }
        if (WriteBufferBytes % AlignedBuffer.Alignment != 0 || (long)WriteBufferBytes < (long)MaxBatchBytes + (2 * AlignedBuffer.Alignment))
        {
            ThrowHelper.ArgumentOutOfRange(nameof(WriteBufferBytes), $"{WriteBufferBytes} must be a multiple of {AlignedBuffer.Alignment} and at least MaxBatchBytes ({MaxBatchBytes}) + 8192");
        }
        if (CommitPolicy is null)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(CommitPolicy), "is required");
        }
        if (DiskFullRetryIntervalMs < 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(DiskFullRetryIntervalMs), "must not be negative");
        }
    }
}
