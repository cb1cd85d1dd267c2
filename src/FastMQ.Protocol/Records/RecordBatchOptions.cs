namespace FastMQ.Protocol.Records;

/// <summary>
/// The batch-level fields <see cref="RecordBatchBuilder"/> writes. Create with <c>new RecordBatchOptions()</c> (or an
/// object initializer): <c>default</c> would mean producer id 0, not "no producer".
/// </summary>
public readonly record struct RecordBatchOptions
{
    public RecordBatchOptions()
    {
    }

    /// <remarks>Defaults to <see cref="CompressionCodec.None"/>.</remarks>
    public CompressionCodec Compression { get; init; } = CompressionCodec.None;

    /// <summary>Idempotent producer id.</summary>
    /// <remarks>Defaults to -1 (not idempotent).</remarks>
    public long ProducerId { get; init; } = -1;

    /// <remarks>Defaults to -1, as librdkafka writes without idempotence.</remarks>
    public short ProducerEpoch { get; init; } = -1;

    /// <summary>Sequence number of the first record.</summary>
    /// <remarks>Defaults to -1, as librdkafka writes without idempotence.</remarks>
    public int BaseSequence { get; init; } = -1;

    /// <summary>Sets attribute bit 4.</summary>
    /// <remarks>Defaults to false.</remarks>
    public bool IsTransactional { get; init; }

    /// <summary>Producers send 0; the broker overwrites it on append.</summary>
    /// <remarks>Defaults to 0.</remarks>
    public long BaseOffset { get; init; }

    /// <summary>Producers send 0 (observed for every client FastMQ targets); the broker overwrites it.</summary>
    /// <remarks>Defaults to 0.</remarks>
    public int PartitionLeaderEpoch { get; init; }
}
