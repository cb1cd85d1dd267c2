using System;
using System.Collections.Generic;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using FastMQ.Benchmarks.Storage;

namespace FastMQ.Benchmarks.Infrastructure;

/// <summary>
/// "MB/s" column: bytes per operation divided by the mean time per operation (MB = 10^6 bytes). Bytes per
/// operation come from the case's parameters: <c>ChunkKiB</c> (raw and device writes: the chunk size) or
/// <c>BatchKiB</c> (log appends: the real size of the batch <see cref="BatchFactory"/> builds for it, not the nominal one).
/// </summary>
public sealed class ThroughputColumn : IColumn
{
    private readonly Dictionary<int, int> _batchBytes = [];

    public string Id => nameof(ThroughputColumn);

    public string ColumnName => "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Throughput: bytes per operation / mean time per operation, in 10^6 bytes per second";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        BenchmarkReport? report = summary[benchmarkCase];
        double? meanNs = report?.ResultStatistics?.Mean;
        long bytes = BytesPerOperation(benchmarkCase);
        if (meanNs is not > 0 || bytes <= 0)
        {
            return "-";
        }
        return (bytes / meanNs.Value * 1e9 / 1e6).ToString("F0", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    private long BytesPerOperation(BenchmarkCase benchmarkCase)
    {
        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            if (parameter.Value is not int kib)
            {
                continue;
            }
            if (parameter.Name == "ChunkKiB")
            {
                return kib * 1024L;
            }
            if (parameter.Name == "BatchKiB")
            {
                if (!_batchBytes.TryGetValue(kib, out int size))
                {
                    size = BatchFactory.Build(kib * 1024).SizeBytes;
                    _batchBytes[kib] = size;
                }
                return size;
            }
        }
        return 0;
    }
}
