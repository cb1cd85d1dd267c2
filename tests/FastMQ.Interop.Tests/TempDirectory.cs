using System;
using System.IO;

namespace FastMQ.Interop.Tests;

/// <summary>A fresh directory under the system temp path (ext4 here, so O_DIRECT works), deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("fastmq-interop-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory must not fail the test that used it.
        }
    }
}
