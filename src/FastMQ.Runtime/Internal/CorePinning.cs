using System;
using FastMQ.Interop;
using Microsoft.Extensions.Logging;

namespace FastMQ.Runtime.Internal;

/// <summary>
/// The one place the runtime touches CPU affinity (through <see cref="NativeSystem"/>). Pinning fails soft: a shard
/// that cannot be pinned logs why and runs unpinned, because a wrong core list in the configuration or a container
/// cpuset must not keep the broker from starting.
/// </summary>
internal static class CorePinning
{
    /// <summary>The CPUs the calling thread may run on; empty when the platform does not say (not Linux).</summary>
    public static int[] AllowedCpus(ILogger logger)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }
        try
        {
            return NativeSystem.GetCurrentThreadAffinity();
        }
        catch (Exception ex) when (ex is NativeIOException or DllNotFoundException or EntryPointNotFoundException)
        {
            logger.LogWarning(ex, "Cannot read the CPU affinity mask; shards will not be pinned");
            return [];
        }
    }

    /// <summary>Pins the calling thread to <paramref name="cpu"/>; false (after logging a warning) if that is not possible.</summary>
    public static bool TryPinCurrentThread(int cpu, ILogger logger)
    {
        if (!OperatingSystem.IsLinux())
        {
            logger.LogWarning("CPU pinning needs Linux; shard thread runs unpinned");
            return false;
        }
        try
        {
            NativeSystem.PinCurrentThread(cpu);
            return true;
        }
        catch (Exception ex) when (ex is NativeIOException or ArgumentOutOfRangeException or DllNotFoundException or EntryPointNotFoundException)
        {
            logger.LogWarning(ex, "Cannot pin shard thread to CPU {Cpu} (not in this process's CPU set?); it runs unpinned", cpu);
            return false;
        }
    }
}
