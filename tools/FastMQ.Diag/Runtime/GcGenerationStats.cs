namespace FastMQ.Diag.Runtime;

/// <summary>Collections of one generation and the time the runtime was suspended for them (from GC events).</summary>
public readonly record struct GcGenerationStats(long Count, double PauseTotalMs, double PauseMaxMs);
