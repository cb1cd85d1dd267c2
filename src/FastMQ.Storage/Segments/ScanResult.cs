using FastMQ.Core;

namespace FastMQ.Storage.Segments;

/// <summary>Why a segment scan stopped.</summary>
internal enum ScanStop
{
    /// <summary>The file ends right after the last valid batch.</summary>
    EndOfFile,
    /// <summary>Zeros follow the last valid batch: the never-written (preallocated) space.</summary>
    ZeroSpace,
    /// <summary>Bytes that are not a valid next batch: torn write, CRC mismatch, bad header or offset discontinuity.</summary>
    Invalid,
}

/// <summary>Outcome of <see cref="SegmentScanner.Scan"/>.</summary>
/// <param name="ValidBytes">Bytes of valid batches from the start of the file.</param>
/// <param name="NextOffset">The offset after the last valid batch.</param>
/// <param name="Batches">Valid batches found.</param>
/// <param name="Stop">Why the scan stopped.</param>
/// <param name="Reason">Why the bytes at <paramref name="ValidBytes"/> were not taken (for the recovery log).</param>
/// <param name="DiscardedBytes">Bytes from <paramref name="ValidBytes"/> to the last non-zero byte before the zero space.</param>
internal readonly record struct ScanResult(long ValidBytes, Offset NextOffset, int Batches, ScanStop Stop, string Reason, long DiscardedBytes);
