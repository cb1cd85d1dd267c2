using System;
using System.IO;
using System.Runtime.InteropServices;
using FastMQ.Tests.Shared;

namespace FastMQ.PerfHarness;

/// <summary>What the numbers were measured on: CPU, cores, kernel, runtime, load at start and end of the window.</summary>
internal sealed class MachineFacts
{
    public string CpuModel { get; init; } = "";
    public int Cores { get; init; }
    public string Kernel { get; init; } = "";
    public string Runtime { get; init; } = "";
    public string Librdkafka { get; init; } = "";
    public string LoadAvgStart { get; set; } = "";
    public string LoadAvgEnd { get; set; } = "";
    public long MemTotalMiB { get; init; }

    public static MachineFacts Read()
    {
        string cpu = "";
        long memKiB = 0;
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal))
                {
                    cpu = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                    break;
                }
            }
            foreach (string line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    memKiB = long.Parse(line["MemTotal:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        return new MachineFacts
        {
            CpuModel = cpu,
            Cores = Environment.ProcessorCount,
            Kernel = ReadTrim("/proc/sys/kernel/osrelease"),
            Runtime = RuntimeInformation.FrameworkDescription,
            Librdkafka = $"{Confluent.Kafka.Library.VersionString} ({BundledLibrdkafka.LoadedFrom})",
            LoadAvgStart = LoadAvg(),
            MemTotalMiB = memKiB / 1024,
        };
    }

    public static string LoadAvg() => ReadTrim("/proc/loadavg");

    private static string ReadTrim(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }
}
