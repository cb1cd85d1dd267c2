using System;
using System.Collections.Generic;
using FastMQ.Interop;
using FastMQ.Storage.Devices;
using Microsoft.Extensions.Logging;
using Xunit;

namespace FastMQ.Storage.Tests.Devices;

public class StorageDevicesTests
{
    /// <summary>Captures log entries so tests can check what the factory said and how often.</summary>
    private sealed class CapturingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }

    [Fact]
    public void ParseBackend_AcceptsTheTwoBackendsAndRejectsOthers()
    {
        // Goal: FASTMQ_IO_BACKEND values parse strictly. Method: valid spellings, empty values, and a typo with its error message.
        Assert.Equal(DeviceKind.Pwrite, StorageDevices.ParseBackend("pwrite"));
        Assert.Equal(DeviceKind.IoUring, StorageDevices.ParseBackend(" IO_URING "));
        Assert.Null(StorageDevices.ParseBackend(null));
        Assert.Null(StorageDevices.ParseBackend(""));
        ArgumentException e = Assert.Throws<ArgumentException>(() => StorageDevices.ParseBackend("aio"));
        Assert.Contains("FASTMQ_IO_BACKEND must be 'pwrite' or 'io_uring', not 'aio'", e.Message);
    }

    [Fact]
    public void Create_WithBackendSettingPwrite_SelectsPosixDevice()
    {
        // Goal: FASTMQ_IO_BACKEND=pwrite forces the fallback even where io_uring works. Method: pass the setting explicitly with io_uring preferred.
        var logger = new CapturingLogger();
        using IStorageDevice device = StorageDevices.Create(DeviceKind.IoUring, logger, 32, "pwrite", null);
        PosixDevice posix = Assert.IsType<PosixDevice>(device);
        Assert.Equal("pwrite", device.Kind);
        Assert.Equal(32, posix.QueueDepth);
        (LogLevel level, string message) = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Information, level);
        Assert.Contains("FASTMQ_IO_BACKEND=pwrite", message);
    }

    [Fact]
    public void Create_PreferringIoUring_SelectsUringDeviceWhereAvailable()
    {
        // Goal: with no override, the factory uses io_uring on this kernel and logs nothing. Method: create with preferred IoUring and an empty setting.
        var logger = new CapturingLogger();
        using IStorageDevice device = StorageDevices.Create(DeviceKind.IoUring, logger, 64, "", null);
        UringDevice uring = Assert.IsType<UringDevice>(device);
        Assert.Equal("io_uring", device.Kind);
        Assert.Equal(64, uring.QueueDepth);
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public void Create_WhenIoUringSetupFails_FallsBackWithOneLogLineNamingTheReason()
    {
        // Goal: a setup failure degrades to pwrite with exactly one log line carrying the kernel's reason. Method: options the kernel rejects (CQ smaller than SQ).
        var logger = new CapturingLogger();
        var badOptions = new IoUringOptions { CompletionQueueEntries = 1 };
        using IStorageDevice device = StorageDevices.Create(DeviceKind.IoUring, logger, 8, null, badOptions);
        Assert.IsType<PosixDevice>(device);
        (LogLevel level, string message) = Assert.Single(logger.Entries);
        Assert.True(level is LogLevel.Warning or LogLevel.Debug, $"level {level}");
        Assert.Contains("io_uring unavailable (io_uring_setup(8 entries) failed: Invalid argument (errno 22))", message);
        Assert.Contains("falls back to pwrite", message);
    }

    [Fact]
    public void Create_WhenIoUringForcedButUnavailable_Throws()
    {
        // Goal: FASTMQ_IO_BACKEND=io_uring is a demand, not a preference. Method: force it with options the kernel rejects.
        var badOptions = new IoUringOptions { CompletionQueueEntries = 1 };
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(
            () => StorageDevices.Create(DeviceKind.Pwrite, null, 8, "io_uring", badOptions));
        Assert.Contains("FASTMQ_IO_BACKEND=io_uring but io_uring is unavailable: io_uring_setup(8 entries) failed", e.Message);
    }

    [Fact]
    public void Create_PreferringPwrite_SelectsPosixDeviceSilently()
    {
        // Goal: choosing pwrite in code needs no log line. Method: preferred Pwrite, no override.
        var logger = new CapturingLogger();
        using IStorageDevice device = StorageDevices.Create(DeviceKind.Pwrite, logger, 16, null, null);
        Assert.IsType<PosixDevice>(device);
        Assert.Empty(logger.Entries);
    }
}
