namespace FastMQ.Interop;

/// <summary>Capacity of the file system holding a path, from statfs.</summary>
/// <param name="TotalBytes">Size of the file system.</param>
/// <param name="FreeBytes">Free space, including blocks reserved for root.</param>
/// <param name="AvailableBytes">Free space an unprivileged process may use; what FastMQ's disk-full checks use.</param>
public readonly record struct FileSystemSpace(long TotalBytes, long FreeBytes, long AvailableBytes);
