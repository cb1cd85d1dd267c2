using System.Runtime.InteropServices;

namespace FastMQ.Runtime.Internal;

/// <summary>
/// The consumer's head and the producers' tail of a ring, each on its own 128-byte span so that producers
/// CAS-ing the tail do not invalidate the line the consumer reads its head from (and neither shares a line with
/// the ring's read-only fields or a neighbouring object). 128 rather than 64 because adjacent-line prefetchers
/// on x86 pull cache lines in pairs. Same layout as the runtime's ConcurrentQueueSegment.PaddedHeadAndTail.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 3 * CacheLinePairBytes)]
internal struct PaddedHeadAndTail
{
    internal const int CacheLinePairBytes = 128;

    [FieldOffset(CacheLinePairBytes)]
    public long Head;

    [FieldOffset(2 * CacheLinePairBytes)]
    public long Tail;
}
