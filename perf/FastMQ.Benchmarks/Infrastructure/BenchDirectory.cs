using System;
using System.IO;

namespace FastMQ.Benchmarks.Infrastructure;

/// <summary>
/// A scratch directory for benchmark files on a real disk, deleted on <see cref="Dispose"/>. O_DIRECT numbers
/// from tmpfs or overlay scratch space would measure memory, not the disk, so those are refused.
/// </summary>
/// <remarks>
/// The parent is <c>FASTMQ_BENCH_DIR</c> when set, else the system temp directory (<c>/tmp</c>). Not thread-safe.
/// </remarks>
public sealed class BenchDirectory : IDisposable
{
    /// <summary>Environment variable naming the parent directory for benchmark files.</summary>
    public const string ParentVariable = "FASTMQ_BENCH_DIR";

    private bool _deleted;

    public BenchDirectory(string label, string? parent = null)
    {
        parent ??= Environment.GetEnvironmentVariable(ParentVariable);
        if (string.IsNullOrWhiteSpace(parent))
        {
            parent = System.IO.Path.GetTempPath();
        }
        Directory.CreateDirectory(parent);
        FileSystemType = MountTable.FileSystemTypeOf(parent);
        if (FileSystemType is "tmpfs" or "ramfs" or "overlay")
        {
            throw new InvalidOperationException(
                $"{parent} is on {FileSystemType}, not a disk; set {ParentVariable} to a directory on the disk under test");
        }
        Path = System.IO.Path.Combine(parent, $"fastmq-bench-{label}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>File system type of the directory, from /proc/self/mounts (e.g. "ext4").</summary>
    public string FileSystemType { get; }

    /// <summary>A path inside the directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (_deleted)
        {
            return;
        }
        _deleted = true;
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
