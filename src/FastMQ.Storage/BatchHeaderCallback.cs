using FastMQ.Core;
using FastMQ.Protocol.Records;

namespace FastMQ.Storage;

/// <summary>
/// Called for each batch header a recovery scan validates or <see cref="PartitionLog.VisitBatchHeaders"/> walks, in
/// offset order; replication (leader-epoch cache) and idempotent-producer state rebuild themselves from these.
/// </summary>
/// <param name="header">The batch header (61 bytes); valid only during the call.</param>
/// <param name="segmentBaseOffset">The segment holding the batch.</param>
/// <param name="position">The batch's byte position in that segment file.</param>
public delegate void BatchHeaderCallback(RecordBatchHeader header, Offset segmentBaseOffset, long position);
