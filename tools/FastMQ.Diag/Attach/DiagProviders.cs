using System;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace FastMQ.Diag.Attach;

/// <summary>The EventPipe providers fastmq-diag enables, in one place so the commands and the probe agree.</summary>
public static class DiagProviders
{
    /// <summary>Meter of FastMQ's own broker instruments.</summary>
    public const string BrokerMeter = "FastMQ.Broker";

    /// <summary>Meter of the runtime's own instruments (.NET 9 and later): CPU, GC, heap, thread pool, locks.</summary>
    public const string RuntimeMeter = "System.Runtime";

    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";

    // Keywords of the dotnet-trace "cpu-sampling" profile: loader, JIT, NGen/R2R, exceptions, GC, threading and
    // the like, so method names resolve and the trace explains the samples around them.
    private const long CpuTraceRuntimeKeywords = 0x14C14FCCBD;

    /// <summary>GC start/stop, suspension and heap statistics: a few events per GC, cheap enough to leave on.</summary>
    public static EventPipeProvider RuntimeGc() =>
        new(RuntimeProvider, EventLevel.Informational, (long)ClrTraceEventParser.Keywords.GC);

    /// <summary>
    /// Every instrument of <paramref name="meters"/>, published every <paramref name="interval"/>. Uses the
    /// runtime's shared metrics session so several readers (fastmq-diag counters, the perf harness probe,
    /// dotnet-counters) can watch one process at once, as long as they use the same interval.
    /// </summary>
    public static EventPipeProvider Metrics(IReadOnlyList<string> meters, TimeSpan interval, string clientId)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["SessionId"] = MetricsSharedSessionId,
            ["ClientId"] = clientId,
            ["Metrics"] = string.Join(',', meters),
            ["RefreshInterval"] = interval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["MaxTimeSeries"] = "5000",
            ["MaxHistograms"] = "100",
        };
        // 0x2 time-series values, 0x4 instrument publishing; 0x1 (messages) carries the session errors.
        return new EventPipeProvider(FastMQ.Diag.Metrics.MetricsEventDecoder.ProviderName, EventLevel.Informational, 0x7, arguments);
    }

    /// <summary>Session id that makes the runtime share one metrics aggregation between readers.</summary>
    public const string MetricsSharedSessionId = "SHARED";

    /// <summary>CPU samples of every managed thread (about one per millisecond per thread) plus rundown-friendly runtime events.</summary>
    public static EventPipeProvider[] CpuSampling() =>
    [
        new("Microsoft-DotNETCore-SampleProfiler", EventLevel.Informational),
        new(RuntimeProvider, EventLevel.Informational, CpuTraceRuntimeKeywords),
    ];

    /// <summary>
    /// Enabling this triggers a blocking gen2 GC in the target that walks the live heap and reports every object
    /// (GCBulkNode) and type (GCBulkType), like dotnet-gcdump. Costs a full GC pause proportional to the live heap.
    /// </summary>
    public static EventPipeProvider HeapSnapshot() =>
        new(RuntimeProvider, EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.GCHeapSnapshot);
}
