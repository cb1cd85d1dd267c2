using System;
using System.Collections.Generic;
using System.IO;
using HdrHistogram;
using ScottPlot;

namespace FastMQ.PerfHarness;

/// <summary>
/// PNG plots: the latency percentile distribution (x: percentile on a log scale of 1/(1-p), so 90 %, 99 %, 99.9 % are
/// evenly spaced, as HdrHistogram plots do) and throughput per second. Plotting needs SkiaSharp's native library;
/// if it cannot load, the run is still valid and the reason is printed.
/// </summary>
internal static class Plots
{
    public static string? LatencyDistribution(string path, string title, IReadOnlyList<(string Name, HistogramBase Histogram)> series)
    {
        return Try(path, () =>
        {
            var plot = new Plot();
            double maxX = 1;
            foreach ((string name, HistogramBase h) in series)
            {
                if (h.TotalCount == 0)
                {
                    continue;
                }
                var xs = new List<double>();
                var ys = new List<double>();
                // Points at 1 - 10^(-i/20): 20 per decade of "nines", up to what the sample count supports.
                double maxNines = Math.Log10(h.TotalCount);
                for (int i = 0; i <= 120 && i / 20.0 <= maxNines; i++)
                {
                    double p = 100 * (1 - Math.Pow(10, -i / 20.0));
                    xs.Add(i / 20.0);
                    ys.Add(h.GetValueAtPercentile(p) / 1000.0);
                }
                xs.Add(maxNines);
                ys.Add(h.GetMaxValue() / 1000.0);
                maxX = Math.Max(maxX, maxNines);
                plot.Add.Scatter(xs.ToArray(), ys.ToArray()).LegendText = name;
            }
            var positions = new List<double>();
            var labels = new List<string>();
            string[] names = ["0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"];
            for (int d = 0; d <= Math.Ceiling(maxX) && d < names.Length; d++)
            {
                positions.Add(d);
                labels.Add(names[d]);
            }
            plot.Axes.Bottom.SetTicks(positions.ToArray(), labels.ToArray());
            plot.XLabel("percentile");
            plot.YLabel("latency (ms)");
            plot.Title(title);
            plot.ShowLegend();
            plot.SavePng(path, 1000, 600);
        });
    }

    public static string? Throughput(string path, string title, IReadOnlyList<double> perSecond)
    {
        if (perSecond.Count == 0)
        {
            return null;
        }
        return Try(path, () =>
        {
            var plot = new Plot();
            double[] xs = new double[perSecond.Count];
            double[] ys = new double[perSecond.Count];
            for (int i = 0; i < xs.Length; i++)
            {
                xs[i] = i + 1;
                ys[i] = perSecond[i];
            }
            plot.Add.Scatter(xs, ys);
            plot.XLabel("second");
            plot.YLabel("messages / s");
            plot.Title(title);
            plot.Axes.SetLimitsY(0, Math.Max(1, Max(ys) * 1.1));
            plot.SavePng(path, 1000, 500);
        });
    }

    /// <summary>Delivered MB/s per second with the target and the 95 % line; the warm-up seconds are shaded.</summary>
    public static string? Sustain(string path, string title, IReadOnlyList<double> bytesPerSecond, double targetMBps, double warmupS)
    {
        if (bytesPerSecond.Count == 0)
        {
            return null;
        }
        return Try(path, () =>
        {
            var plot = new Plot();
            double[] xs = new double[bytesPerSecond.Count];
            double[] ys = new double[bytesPerSecond.Count];
            for (int i = 0; i < xs.Length; i++)
            {
                xs[i] = i + 1;
                ys[i] = bytesPerSecond[i] / 1e6;
            }
            plot.Add.Scatter(xs, ys).LegendText = "delivered MB/s";
            plot.Add.HorizontalLine(targetMBps).LegendText = "target";
            plot.Add.HorizontalLine(targetMBps * SustainVerdict.ThresholdFraction).LegendText = "95 % of target";
            if (warmupS > 0)
            {
                plot.Add.HorizontalSpan(0, warmupS).LegendText = "warm-up (not counted)";
            }
            plot.XLabel("second");
            plot.YLabel("MB/s (10^6 B of values)");
            plot.Title(title);
            plot.ShowLegend();
            plot.Axes.SetLimitsY(0, Math.Max(targetMBps, Max(ys)) * 1.15);
            plot.SavePng(path, 1000, 500);
        });
    }

    private static double Max(double[] ys)
    {
        double m = 0;
        foreach (double y in ys)
        {
            m = Math.Max(m, y);
        }
        return m;
    }

    private static string? Try(string path, Action draw)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            draw();
            return path;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or IOException)
        {
            Console.WriteLine($"plot {path} skipped: {e.GetBaseException().Message}");
            return null;
        }
    }
}
