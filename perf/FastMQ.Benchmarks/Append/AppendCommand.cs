using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using FastMQ.Benchmarks.Infrastructure;
using FastMQ.Benchmarks.Storage;
using FastMQ.Memory;
using FastMQ.Storage.Devices;

namespace FastMQ.Benchmarks.Append;

/// <summary>
/// The <c>append</c> console mode: the raw O_DIRECT baseline and the partition log, measured in the same process
/// one after the other on the same disk with the same bytes, printed side by side with the ratio.
/// </summary>
/// <remarks>
/// Every phase writes to a fresh preallocated file (or a fresh log) in its own scratch directory, deleted right
/// after, so each starts from the same state: blocks fallocate-d but never written, as in a new log segment
/// (unless <c>--raw-file prewritten</c> asks for raw files written once before timing). The log phase warms up
/// first (<see cref="AppendDriver.WarmUp"/>) so it measures tier-1 code, then appends until it has written as
/// many bytes as a raw phase and waits until all of them may be acknowledged.
/// </remarks>
public static class AppendCommand
{
    private const long RawSliceBytes = 64L << 20;   // raw phases check the time limit every 64 MiB
    private const int LogCheckEvery = 64;          // the log phase checks it every 64 appends

    public static int Run(ReadOnlySpan<string> args)
    {
        if (args.Length > 0 && args[0] is "--help" or "-h")
        {
            Console.WriteLine(AppendOptions.Usage);
            return 0;
        }
        AppendOptions options;
        try
        {
            options = AppendOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(AppendOptions.Usage);
            return 2;
        }

        BenchBatch batch = BatchFactory.Build(options.BatchKiB * 1024);
        int chunkBytes = (int)AlignedBuffer.AlignUp(batch.SizeBytes);
        string parent = options.Directory ?? Environment.GetEnvironmentVariable(BenchDirectory.ParentVariable) ?? System.IO.Path.GetTempPath();
        PrintHeader(options, batch, chunkBytes, parent);

        var results = new List<(int Round, PhaseResult Result)>();
        for (int round = 1; round <= options.Rounds; round++)
        {
            PhaseResult pwrite = RunRaw(options, batch, chunkBytes, parent, uring: false);
            PhaseResult best = pwrite;
            Print(round, pwrite, null, null);
            results.Add((round, pwrite));
            foreach ((int chunk, bool uring) in RawPhases(options, chunkBytes))
            {
                PhaseResult raw = RunRaw(options, batch, chunk, parent, uring);
                Print(round, raw, pwrite, null);
                results.Add((round, raw));
                best = raw.MegabytesPerSecond > best.MegabytesPerSecond ? raw : best;
            }
            foreach (DeviceKind device in options.Devices)
            {
                PhaseResult log = RunLog(options, batch, parent, device, out string detail);
                Print(round, log, pwrite, best);
                Console.WriteLine(detail);
                results.Add((round, log));
            }
        }
        if (options.Rounds > 1)
        {
            PrintSpread(results);
        }
        return 0;
    }

    /// <summary>The raw phases after batch-sized pwrite: batch-sized io_uring, then large chunks with pwrite and io_uring.</summary>
    private static List<(int ChunkBytes, bool Uring)> RawPhases(AppendOptions options, int chunkBytes)
    {
        var phases = new List<(int, bool)> { (chunkBytes, true) };
        if (options.RawLargeChunkBytes > chunkBytes)
        {
            phases.Add((options.RawLargeChunkBytes, false));
            phases.Add((options.RawLargeChunkBytes, true));
        }
        return phases;
    }

    private static PhaseResult RunRaw(AppendOptions options, BenchBatch batch, int chunkBytes, string parent, bool uring)
    {
        using var directory = new BenchDirectory("raw", parent);
        long fileBytes = (options.BytesPerPhase + chunkBytes - 1) / chunkBytes * chunkBytes;
        using var writer = new RawDirectWriter(directory.File("raw.bin"), fileBytes, chunkBytes, batch.Bytes);
        if (options.RawPrewritten)
        {
            writer.Prefill();
        }
        // Labels are made before the measurement so their strings do not count as allocations of the phase.
        string name = Invariant($"raw {chunkBytes >> 10}K");
        string device = uring ? Invariant($"io_uring qd{options.UringDepth}") : "pwrite";
        // One untimed write first: it creates the ring and touches the code paths.
        long warm = uring ? writer.WriteUring(chunkBytes, options.UringDepth) : writer.WritePwrite(chunkBytes);
        long maxTicks = (long)(options.MaxSecondsPerPhase * Stopwatch.Frequency);
        Measure m = Measure.Start();
        long written = warm;
        while (written < fileBytes && m.ElapsedTicks < maxTicks)
        {
            long slice = Math.Min(RawSliceBytes, fileBytes - written);
            written += uring ? writer.WriteUring(slice, options.UringDepth) : writer.WritePwrite(slice);
        }
        long measured = written - warm;
        PhaseResult r = m.Stop(name, device, measured, measured / batch.SizeBytes * batch.RecordCount);
        writer.Sync();
        return r;
    }

    /// <summary>Measures the log; <c>detail</c> says how its appends turned into I/O and where the time went.</summary>
    private static PhaseResult RunLog(AppendOptions options, BenchBatch batch, string parent, DeviceKind device, out string detail)
    {
        using var directory = new BenchDirectory("log", parent);
        using var driver = new AppendDriver(directory.File("log"), device,
            options.Policy.ToCommitPolicy(options.GroupIntervalMs, options.GroupBytes), batch);
        driver.WarmUp(TimeSpan.FromSeconds(0.5));
        driver.ResetCounters();
        long targetBatches = Math.Max(1, options.BytesPerPhase / batch.SizeBytes);
        long maxTicks = (long)(options.MaxSecondsPerPhase * Stopwatch.Frequency);
        Measure m = Measure.Start();
        long appended = 0;
        while (appended < targetBatches && m.ElapsedTicks < maxTicks)
        {
            int n = (int)Math.Min(LogCheckEvery, targetBatches - appended);
            driver.Append(n);
            appended += n;
        }
        driver.WaitAcknowledged();
        PhaseResult r = m.Stop("log", driver.DeviceName, appended * batch.SizeBytes, appended * batch.RecordCount);
        detail = Describe(driver, r);
        return r;
    }

    /// <summary>How the log phase's appends turned into I/O, and where its wall time went.</summary>
    private static string Describe(AppendDriver driver, PhaseResult r)
    {
        DeviceCounters c = driver.Device.Counters;
        double f = Stopwatch.Frequency;
        double extra = r.Bytes == 0 ? 0 : (c.WriteBytes - r.Bytes) / (double)r.Bytes;
        return Invariant(
            $"         {c.Writes} writes, avg {c.AverageWriteBytes / 1024:F0} KiB, {extra:P1} more bytes than appended; {c.Syncs} fdatasyncs; max {c.MaxInFlight} in flight; time in TryAppend {driver.AppendTicks / f:F2} s, Poll {driver.PollTicks / f:F2} s, wait for acks {driver.WaitTicks / f:F2} s");
    }

    private static void PrintHeader(AppendOptions o, BenchBatch batch, int chunkBytes, string parent)
    {
        string policy = o.Policy == FlushPolicy.Group ? $"group ({o.GroupIntervalMs} ms / {o.GroupBytes >> 10} KiB)" : o.Policy.ToString().ToLowerInvariant();
        Console.WriteLine(Invariant($"FastMQ append: batch {o.BatchKiB} KiB = {batch.RecordCount} records x {BatchFactory.RecordValueBytes} B value = {batch.SizeBytes} B; policy {policy}"));
        string rawFile = o.RawPrewritten ? "prewritten (overwrites)" : "fresh fallocate (as log segments)";
        Console.WriteLine(Invariant($"  raw baseline: {chunkBytes} B (and {o.RawLargeChunkBytes} B) aligned chunks, O_DIRECT, file {rawFile}; io_uring depth {o.UringDepth}"));
        Console.WriteLine(Invariant($"  per phase: {o.BytesPerPhase / (double)(1L << 30):F2} GiB or {o.MaxSecondsPerPhase:F0} s; dir {parent} ({MountTable.FileSystemTypeOf(parent)}); {Environment.ProcessorCount} cpus"));
        Console.WriteLine();
        Console.WriteLine("round  phase         device        GiB     s       MB/s   records/s  vs pwrite  vs best  alloc B  cpu usr+sys s");
    }

    /// <param name="round">Round number, 1-based.</param>
    /// <param name="r">The phase to print.</param>
    /// <param name="pwrite">The batch-sized pwrite baseline of the round (null for that phase itself).</param>
    /// <param name="best">The fastest raw phase of the round (log phases only).</param>
    private static void Print(int round, PhaseResult r, PhaseResult? pwrite, PhaseResult? best)
    {
        string vsPwrite = pwrite is null ? "-" : Invariant($"{r.MegabytesPerSecond / pwrite.MegabytesPerSecond:P0}");
        string vsUring = best is null ? "-" : Invariant($"{r.MegabytesPerSecond / best.MegabytesPerSecond:P0}");
        Console.WriteLine(Invariant(
            $"{round,5}  {r.Name,-12}  {r.Device,-12} {r.Bytes / (double)(1L << 30),5:F2} {r.Seconds,6:F2} {r.MegabytesPerSecond,8:F0} {r.RecordsPerSecond,11:F0} {vsPwrite,10} {vsUring,8} {r.AllocatedBytes,8} {r.UserCpuSeconds,6:F2}+{r.SystemCpuSeconds:F2}"));
    }

    private static void PrintSpread(List<(int Round, PhaseResult Result)> results)
    {
        Console.WriteLine();
        Console.WriteLine("spread over rounds (MB/s min / mean / max):");
        var byPhase = new Dictionary<string, List<double>>();
        foreach ((_, PhaseResult r) in results)
        {
            string key = $"{r.Name} {r.Device}";
            if (!byPhase.TryGetValue(key, out List<double>? list))
            {
                list = [];
                byPhase[key] = list;
            }
            list.Add(r.MegabytesPerSecond);
        }
        foreach ((string key, List<double> values) in byPhase)
        {
            values.Sort();
            double sum = 0;
            foreach (double v in values)
            {
                sum += v;
            }
            Console.WriteLine(Invariant($"  {key,-26} {values[0],7:F0} / {sum / values.Count,7:F0} / {values[^1],7:F0}"));
        }
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>Wall clock, thread allocations and process CPU time of one phase.</summary>
    private readonly struct Measure
    {
        private readonly long _startTicks;
        private readonly long _startAllocated;
        private readonly TimeSpan _startUser;
        private readonly TimeSpan _startSystem;

        private Measure(long startTicks, long startAllocated, TimeSpan startUser, TimeSpan startSystem)
        {
            _startTicks = startTicks;
            _startAllocated = startAllocated;
            _startUser = startUser;
            _startSystem = startSystem;
        }

        public long ElapsedTicks => Stopwatch.GetTimestamp() - _startTicks;

        public static Measure Start()
        {
            using var process = Process.GetCurrentProcess();
            TimeSpan user = process.UserProcessorTime;
            TimeSpan system = process.PrivilegedProcessorTime;
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            return new Measure(Stopwatch.GetTimestamp(), allocated, user, system);
        }

        public PhaseResult Stop(string name, string device, long bytes, long records)
        {
            long end = Stopwatch.GetTimestamp();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - _startAllocated;
            using var process = Process.GetCurrentProcess();
            double user = (process.UserProcessorTime - _startUser).TotalSeconds;
            double system = (process.PrivilegedProcessorTime - _startSystem).TotalSeconds;
            return new PhaseResult(name, device, bytes, records, (end - _startTicks) / (double)Stopwatch.Frequency, allocated, user, system);
        }
    }
}
