using System.Collections.Generic;

namespace FastMQ.Diag.Heap;

/// <summary>
/// GC heap of a process right after a blocking gen2 GC that fastmq-diag induced: sizes per generation (GCHeapStats),
/// fragmentation (GCPerHeapHistory), and the live objects by type from the heap walk (GCBulkNode/GCBulkType).
/// The walk also reports frozen objects (string literals, type objects) that live outside the GC generations, so
/// <see cref="LiveBytes"/> can exceed <see cref="TotalHeapBytes"/> on a small heap.
/// </summary>
public sealed record HeapReport(
    int ProcessId,
    int GcNumber,
    IReadOnlyList<HeapGenerationStats> Generations,
    long TotalHeapBytes,
    long PinnedObjects,
    long GcHandles,
    long LiveObjects,
    long LiveBytes,
    IReadOnlyList<HeapTypeStats> TopTypes);
