using System;
using System.Threading;
using FastMQ.Core;
using FastMQ.Interop;
using Microsoft.Extensions.Logging;

namespace FastMQ.Storage.Devices;

/// <summary>
/// Creates each shard's <see cref="IStorageDevice"/>: io_uring when the kernel allows it, otherwise the pwrite
/// fallback, logging the reason in one line. The environment variable <see cref="BackendVariable"/>
/// (<c>pwrite</c> or <c>io_uring</c>) forces a backend; a forced io_uring that cannot start is an error, not a fallback.
/// </summary>
/// <remarks>Thread-safe; called once per shard at startup.</remarks>
public static class StorageDevices
{
    /// <summary>Environment variable that forces the storage I/O backend: <c>pwrite</c> or <c>io_uring</c>.</summary>
    public const string BackendVariable = "FASTMQ_IO_BACKEND";

    public const int DefaultQueueDepth = UringDevice.DefaultQueueDepth;

    // Shards each create a device; the fallback warning is worth one line per process, later ones go to Debug.
    private static int s_fallbackWarned;

    /// <summary>Creates a device honouring <see cref="BackendVariable"/> from the process environment.</summary>
    public static IStorageDevice Create(DeviceKind preferred, ILogger? logger, int queueDepth = DefaultQueueDepth) =>
        Create(preferred, logger, queueDepth, Environment.GetEnvironmentVariable(BackendVariable), uringOptions: null);

    /// <summary>
    /// Creates a device. <paramref name="backendSetting"/> is the value of <see cref="BackendVariable"/> (null or empty =
    /// not set); when set it overrides <paramref name="preferred"/>. With <see cref="DeviceKind.IoUring"/> preferred
    /// and io_uring unavailable, returns a <see cref="PosixDevice"/> and logs one warning naming the reason.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="backendSetting"/> is not a known backend.</exception>
    /// <exception cref="InvalidOperationException">io_uring was forced by the setting but cannot be set up.</exception>
    public static IStorageDevice Create(DeviceKind preferred, ILogger? logger, int queueDepth, string? backendSetting,
        IoUringOptions? uringOptions)
    {
        DeviceKind? forced = ParseBackend(backendSetting);
        DeviceKind kind = forced ?? preferred;
        if (kind == DeviceKind.Pwrite)
        {
            if (forced is not null)
            {
                logger?.LogInformation("Storage I/O uses pwrite/pread/fdatasync ({Variable}={Value})", BackendVariable, backendSetting);
            }
            return new PosixDevice(queueDepth);
        }

        if (UringDevice.TryCreate(queueDepth, uringOptions, out UringDevice? device, out string? reason))
        {
            return device!;
        }
        if (forced is not null)
        {
            ThrowHelper.InvalidOperation($"{BackendVariable}={backendSetting} but io_uring is unavailable: {reason}");
        }
        if (logger is not null)
        {
            LogLevel level = Interlocked.Exchange(ref s_fallbackWarned, 1) == 0 ? LogLevel.Warning : LogLevel.Debug;
            logger.Log(level, "io_uring unavailable ({Reason}); storage I/O falls back to pwrite/pread/fdatasync", reason);
        }
        return new PosixDevice(queueDepth);
    }

    /// <summary>
    /// Parses a <see cref="BackendVariable"/> value: <c>pwrite</c> or <c>io_uring</c> (case-insensitive, surrounding
    /// spaces ignored); null for null or empty (no override).
    /// </summary>
    /// <exception cref="ArgumentException">Any other value.</exception>
    public static DeviceKind? ParseBackend(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        string v = value.Trim();
        if (v.Equals("pwrite", StringComparison.OrdinalIgnoreCase))
        {
            return DeviceKind.Pwrite;
        }
        if (v.Equals("io_uring", StringComparison.OrdinalIgnoreCase))
        {
            return DeviceKind.IoUring;
        }
        throw new ArgumentException($"{BackendVariable} must be 'pwrite' or 'io_uring', not '{value}'", nameof(value));
    }
}
