using System;
using System.Diagnostics;
using System.IO;

namespace FastMQ.IntegrationTests.Hardening;

/// <summary>A small tmpfs mounted on a fresh temporary directory (needs root); unmounted and removed on dispose.</summary>
public sealed class TmpfsMount : IDisposable
{
    public TmpfsMount(int sizeMiB)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fastmq-tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        string error = Run("mount", "-t", "tmpfs", "-o", $"size={sizeMiB}m", "tmpfs", Path);
        if (error.Length > 0)
        {
            Directory.Delete(Path);
            throw new InvalidOperationException($"mounting a {sizeMiB} MiB tmpfs on {Path} failed (the disk-full test needs root): {error}");
        }
    }

    public string Path { get; }

    public void Dispose()
    {
        // Lazy unmount: a broker killed a moment ago may still hold files open.
        Run("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Runs a command; returns its stderr (and exit code) when it failed, else "".</summary>
    private static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using Process p = Process.Start(psi)!;
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? "" : $"exit {p.ExitCode}: {stderr.Trim()}";
    }
}
