namespace FastMQ.Storage.Devices;

/// <summary>The I/O mechanism behind an <see cref="IStorageDevice"/>.</summary>
public enum DeviceKind
{
    /// <summary>io_uring (<see cref="UringDevice"/>): batched, asynchronous; the default on Linux 5.6+.</summary>
    IoUring,

    /// <summary>pwrite/pread/fdatasync run synchronously at submit (<see cref="PosixDevice"/>): the fallback.</summary>
    Pwrite,
}
