using System;

namespace FastMQ.Diag.Runtime;

/// <summary>GC counts and pauses per generation since the session started (gen2 includes background GCs).</summary>
public sealed record GcTotals(GcGenerationStats Gen0, GcGenerationStats Gen1, GcGenerationStats Gen2)
{
    public static GcTotals Empty { get; } = new(default, default, default);

    public double PauseTotalMs => Gen0.PauseTotalMs + Gen1.PauseTotalMs + Gen2.PauseTotalMs;

    public double PauseMaxMs => Math.Max(Gen0.PauseMaxMs, Math.Max(Gen1.PauseMaxMs, Gen2.PauseMaxMs));

    public GcGenerationStats Generation(int generation) => generation switch
    {
        0 => Gen0,
        1 => Gen1,
        2 => Gen2,
        _ => throw new ArgumentOutOfRangeException(nameof(generation), generation, "GC generations are 0, 1 and 2"),
    };
}
