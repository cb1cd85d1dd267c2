using FastMQ.Core;
using FastMQ.Protocol.Records;

namespace FastMQ.Storage;

/// <summary>What <see cref="PartitionLog.TryAppend"/> did with one batch.</summary>
/// <param name="Validation">Why the batch was rejected when the status is <see cref="AppendStatus.CorruptMessage"/>.</param>
/// <param name="BaseOffset">The first offset assigned (Kafka's ProduceResponse baseOffset); invalid unless Ok.</param>
/// <param name="LastOffset">The last offset assigned; the append is acknowledgeable once it is below <see cref="PartitionLog.AcknowledgeableOffset"/>.</param>
public readonly record struct AppendResult(BatchValidation Validation, Offset BaseOffset, Offset LastOffset)
{
    public static AppendResult Rejected(BatchValidation validation) => new(validation, Offset.Invalid, Offset.Invalid);
}
