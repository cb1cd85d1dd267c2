using System;
using System.Collections.Generic;
using FastMQ.Diag.Attach;

namespace FastMQ.Diag;

/// <summary>Settings of a <see cref="RuntimeProbe"/>.</summary>
public sealed record RuntimeProbeOptions
{
    /// <summary>Metrics refresh interval. <remarks>Defaults to 1 s (the same as fastmq-diag counters, so both can run at once).</remarks></summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long Start waits for the first metrics interval. <remarks>Defaults to 10 s.</remarks></summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Meters besides System.Runtime whose final values go into the summary. <remarks>Defaults to FastMQ.Broker.</remarks></summary>
    public IReadOnlyList<string> ExtraMeters { get; init; } = [DiagProviders.BrokerMeter];
}
