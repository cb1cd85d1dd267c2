using System.IO;
using FastMQ.Interop;

namespace FastMQ.Storage.Segments;

/// <summary>Small-file writes that survive a crash whole or not at all; off the hot path only.</summary>
internal static class DurableFiles
{
    /// <summary>Writes <paramref name="content"/> to a temporary name, syncs it and renames it over <paramref name="path"/>. The caller syncs the directory.</summary>
    public static void WriteAtomically(string path, byte[] content)
    {
        string temp = path + SegmentFileNames.TempSuffix;
        using (NativeFile f = NativeFile.Open(temp, NativeOpenFlags.ReadWrite | NativeOpenFlags.Create | NativeOpenFlags.Truncate))
        {
            f.WriteAt(content, 0);
            f.Sync(dataOnly: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>fsync of a directory: makes file creations, renames and deletions in it durable.</summary>
    public static void SyncDirectory(string directory)
    {
        using NativeFile dir = NativeFile.Open(directory, NativeOpenFlags.ReadOnly);
        dir.Sync(dataOnly: false);
    }
}
