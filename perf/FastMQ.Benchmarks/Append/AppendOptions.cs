using System;
using System.Collections.Generic;
using System.Globalization;
using FastMQ.Benchmarks.Storage;
using FastMQ.Storage.Devices;

namespace FastMQ.Benchmarks.Append;

/// <summary>Command-line options of the <c>append</c> runner; see <see cref="Usage"/>.</summary>
public sealed class AppendOptions
{
    public const string Usage = """
        usage: append [--batch-kib 64] [--policy none|group|fsync] [--device io_uring|pwrite|both] [--gib 2]
                      [--seconds 30] [--rounds 1] [--uring-depth 4] [--raw-large-kib 1024] [--raw-file fresh|prewritten]
                      [--group-ms 5] [--group-kib 4096] [--dir /tmp]
          Writes --gib GiB per phase (or stops after --seconds), in this order each round: the raw O_DIRECT
          baseline in batch-sized chunks with pwrite, then through io_uring with --uring-depth writes in flight,
          the same two with --raw-large-kib chunks (0 = skip; the log coalesces appends into writes that large),
          then the partition log on each chosen device. Prints MB/s, records/s and the log's ratio to the
          batch-sized pwrite baseline and to the fastest raw phase of the round. --raw-file prewritten writes
          the raw files once before timing, so the raw phases overwrite blocks (no ext4 unwritten-extent
          conversion): the device alone, unlike the log, whose segments are always fresh.
        """;

    public int BatchKiB { get; private set; } = 64;

    public FlushPolicy Policy { get; private set; } = FlushPolicy.None;

    public IReadOnlyList<DeviceKind> Devices { get; private set; } = [DeviceKind.IoUring];

    public long BytesPerPhase { get; private set; } = 2L << 30;

    public double MaxSecondsPerPhase { get; private set; } = 30;

    public int Rounds { get; private set; } = 1;

    public int UringDepth { get; private set; } = RawBaselineBenchmarks.UringDepth;

    /// <summary>Chunk size of the second pair of raw phases; 0 = only batch-sized chunks.</summary>
    public int RawLargeChunkBytes { get; private set; } = 1 << 20;

    /// <summary>Raw phases overwrite a file written once beforehand instead of a freshly fallocate-d one.</summary>
    public bool RawPrewritten { get; private set; }

    public int GroupIntervalMs { get; private set; } = FlushPolicies.GroupIntervalMs;

    public int GroupBytes { get; private set; } = FlushPolicies.GroupBytes;

    public string? Directory { get; private set; }

    /// <exception cref="ArgumentException">An unknown option or a bad value; the message says which.</exception>
    public static AppendOptions Parse(ReadOnlySpan<string> args)
    {
        var o = new AppendOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name} needs a value");
            }
            string value = args[++i];
            switch (name)
            {
                case "--batch-kib":
                    o.BatchKiB = ParseInt(name, value, 1, 1024);
                    break;
                case "--policy":
                    o.Policy = FlushPolicies.Parse(value);
                    break;
                case "--device":
                    o.Devices = ParseDevices(value);
                    break;
                case "--gib":
                    o.BytesPerPhase = (long)(ParseDouble(name, value, 0.01, 64) * (1L << 30));
                    break;
                case "--seconds":
                    o.MaxSecondsPerPhase = ParseDouble(name, value, 0.1, 3600);
                    break;
                case "--rounds":
                    o.Rounds = ParseInt(name, value, 1, 20);
                    break;
                case "--uring-depth":
                    o.UringDepth = ParseInt(name, value, 1, 256);
                    break;
                case "--raw-large-kib":
                    o.RawLargeChunkBytes = ParseInt(name, value, 0, 64 * 1024) / 4 * 4 * 1024;
                    break;
                case "--raw-file":
                    o.RawPrewritten = value switch
                    {
                        "fresh" => false,
                        "prewritten" => true,
                        _ => throw new ArgumentException($"--raw-file must be fresh or prewritten, not '{value}'"),
                    };
                    break;
                case "--group-ms":
                    o.GroupIntervalMs = ParseInt(name, value, 0, 60_000);
                    break;
                case "--group-kib":
                    o.GroupBytes = ParseInt(name, value, 1, 1 << 20) * 1024;
                    break;
                case "--dir":
                    o.Directory = value;
                    break;
                default:
                    throw new ArgumentException($"unknown option {name}");
            }
        }
        return o;
    }

    private static IReadOnlyList<DeviceKind> ParseDevices(string value) =>
        value.Trim().ToUpperInvariant() switch
        {
            "IO_URING" or "URING" => [DeviceKind.IoUring],
            "PWRITE" => [DeviceKind.Pwrite],
            "BOTH" => [DeviceKind.IoUring, DeviceKind.Pwrite],
            _ => throw new ArgumentException($"--device must be io_uring, pwrite or both, not '{value}'"),
        };

    private static int ParseInt(string name, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < min || n > max)
        {
            throw new ArgumentException($"{name} must be an integer from {min} to {max}, not '{value}'");
        }
        return n;
    }

    private static double ParseDouble(string name, string value, double min, double max)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || d < min || d > max)
        {
            throw new ArgumentException($"{name} must be a number from {min} to {max}, not '{value}'");
        }
        return d;
    }
}
