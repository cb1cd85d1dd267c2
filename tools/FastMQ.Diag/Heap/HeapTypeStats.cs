namespace FastMQ.Diag.Heap;

/// <summary>Live objects of one type found by the heap walk: how many and their total size in bytes.</summary>
public sealed record HeapTypeStats(string TypeName, long Objects, long Bytes);
