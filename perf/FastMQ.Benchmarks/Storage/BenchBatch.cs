namespace FastMQ.Benchmarks.Storage;

/// <summary>One valid RecordBatch v2, built once before a measurement and appended over and over.</summary>
/// <param name="Bytes">The batch; <c>PartitionLog.TryAppend</c> rewrites its base offset and epoch in place, which the CRC does not cover.</param>
/// <param name="RecordCount">Records in the batch (for records/s).</param>
public sealed record BenchBatch(byte[] Bytes, int RecordCount)
{
    public int SizeBytes => Bytes.Length;
}
