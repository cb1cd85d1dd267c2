namespace FastMQ.Client.Consuming;

/// <summary>The complete record batches of one partition inside a fetch response frame.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Epoch">The partition's epoch when the fetch was sent; a different current epoch voids the slice.</param>
/// <param name="NextOffset">One past the last offset of the last complete batch (the next fetch offset).</param>
/// <param name="Start">First byte of the batches in the frame.</param>
/// <param name="Length">Bytes of complete batches (a trailing partial batch is excluded).</param>
internal readonly record struct FetchSlice(PartitionState Partition, int Epoch, long NextOffset, int Start, int Length);
