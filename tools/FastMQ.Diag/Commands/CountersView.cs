using System;
using System.Globalization;
using FastMQ.Diag.Attach;
using FastMQ.Diag.Metrics;
using FastMQ.Diag.Runtime;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace FastMQ.Diag.Commands;

/// <summary>
/// Renders a <see cref="RuntimeSnapshot"/> for the live view: a headline (CPU, allocation rate), a GC table per
/// generation, then every instrument of every meter as published, so FastMQ.Broker instruments appear without
/// this tool knowing their names.
/// </summary>
internal static class CountersView
{
    public static IRenderable Render(int pid, RuntimeSnapshot snapshot, TimeSpan interval)
    {
        var grid = new Grid().AddColumn();
        grid.AddRow(new Markup(Markup.Escape(Headline(pid, snapshot, interval))));
        grid.AddRow(GcTable(snapshot.Gc));
        // One table per meter (System.Runtime, FastMQ.Broker, …), in the order the series are keyed.
        string? meter = null;
        Table? table = null;
        foreach (MetricValue m in snapshot.Metrics)
        {
            if (m.Meter != meter)
            {
                if (table is not null)
                {
                    grid.AddRow(table);
                }
                meter = m.Meter;
                table = MeterTable(meter);
            }
            table!.AddRow(Markup.Escape(m.Instrument), Markup.Escape(m.Tags), Markup.Escape(Format(m, interval)),
                Markup.Escape(m.Unit));
        }
        if (table is not null)
        {
            grid.AddRow(table);
        }
        return grid;
    }

    public static string Headline(int pid, RuntimeSnapshot snapshot, TimeSpan interval)
    {
        double seconds = interval.TotalSeconds;
        double? cpu = snapshot.RateSum(DiagProviders.RuntimeMeter, "dotnet.process.cpu.time");
        double? alloc = snapshot.RateSum(DiagProviders.RuntimeMeter, "dotnet.gc.heap.total_allocated");
        string cpuText = cpu is double c ? (c / seconds * 100).ToString("F0", CultureInfo.InvariantCulture) + "%" : "n/a";
        string allocText = alloc is double a ? Bytes(a / seconds) + "/s" : "n/a";
        return string.Create(CultureInfo.InvariantCulture,
            $"pid {pid}  interval #{snapshot.Tick}  CPU {cpuText} (100% = one core)  allocations {allocText}  " +
            $"{snapshot.TimestampUtc:HH:mm:ss} UTC");
    }

    private static Table GcTable(GcTotals gc)
    {
        var table = new Table().Title("GC since attach (from GC events)")
            .AddColumn("generation").AddColumn("collections", c => c.RightAligned())
            .AddColumn("pause total ms", c => c.RightAligned()).AddColumn("pause max ms", c => c.RightAligned());
        for (int gen = 0; gen <= 2; gen++)
        {
            GcGenerationStats s = gc.Generation(gen);
            table.AddRow($"gen{gen}", s.Count.ToString(CultureInfo.InvariantCulture),
                s.PauseTotalMs.ToString("F1", CultureInfo.InvariantCulture),
                s.PauseMaxMs.ToString("F1", CultureInfo.InvariantCulture));
        }
        return table;
    }

    private static Table MeterTable(string meter) =>
        new Table().Title(Markup.Escape(meter) + " (counters: per second over the last interval, and total)")
            .AddColumn("instrument").AddColumn("tags").AddColumn("value", c => c.RightAligned()).AddColumn("unit");

    /// <summary>A counter shows its rate per second and total, a histogram its quantiles, others their value.</summary>
    public static string Format(MetricValue m, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(m);
        return m.Kind switch
        {
            MetricKind.Counter => Number(m.Rate / interval.TotalSeconds) + "/s" + (m.Value is null ? "" : "  total " + Number(m.Value)),
            MetricKind.Histogram => m.Quantiles + "  n=" + m.Count.ToString(CultureInfo.InvariantCulture),
            _ => Number(m.Value),
        };
    }

    private static string Number(double? value) => value switch
    {
        null => "-",
        double v when Math.Abs(v) >= 100 => v.ToString("N0", CultureInfo.InvariantCulture),
        double v => v.ToString("0.###", CultureInfo.InvariantCulture),
    };

    private static string Bytes(double bytes) => bytes switch
    {
        >= 1 << 30 => (bytes / (1 << 30)).ToString("F2", CultureInfo.InvariantCulture) + " GiB",
        >= 1 << 20 => (bytes / (1 << 20)).ToString("F1", CultureInfo.InvariantCulture) + " MiB",
        >= 1 << 10 => (bytes / (1 << 10)).ToString("F1", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString("F0", CultureInfo.InvariantCulture) + " B",
    };
}
