namespace FastMQ.Diag.Heap;

/// <summary>
/// One generation (gen0, gen1, gen2, loh, poh) after the induced GC: its size and the free space inside it
/// (fragmentation, summed over the GC heaps; null when the runtime did not report per-heap history).
/// </summary>
public sealed record HeapGenerationStats(string Generation, long SizeBytes, long? FragmentationBytes);
