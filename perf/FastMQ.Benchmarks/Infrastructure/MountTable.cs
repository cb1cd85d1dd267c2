using System;
using System.IO;

namespace FastMQ.Benchmarks.Infrastructure;

/// <summary>Looks up which mounted file system holds a path, from /proc/self/mounts.</summary>
public static class MountTable
{
    /// <summary>
    /// The type (ext4, xfs, tmpfs, …) of the mount with the longest mount point that prefixes
    /// <paramref name="path"/>'s full path; "unknown" when /proc/self/mounts cannot be read.
    /// </summary>
    public static string FileSystemTypeOf(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        const string MountsPath = "/proc/self/mounts";
        if (!File.Exists(MountsPath))
        {
            return "unknown";
        }
        string best = "unknown";
        int bestLength = -1;
        foreach (string line in File.ReadLines(MountsPath))
        {
            // Fields: device, mount point (spaces escaped as \040), type, options, dump, pass.
            string[] fields = line.Split(' ');
            if (fields.Length < 3)
            {
                continue;
            }
            string mountPoint = fields[1].Replace("\\040", " ", StringComparison.Ordinal);
            bool covers = mountPoint == "/"
                || full == mountPoint
                || full.StartsWith(mountPoint.TrimEnd('/') + "/", StringComparison.Ordinal);
            // Later lines win on equal length: they are mounted on top.
            if (covers && mountPoint.Length >= bestLength)
            {
                best = fields[2];
                bestLength = mountPoint.Length;
            }
        }
        return best;
    }
}
