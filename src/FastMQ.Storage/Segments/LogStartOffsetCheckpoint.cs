using System;
using System.Buffers.Binary;
using System.IO;
using FastMQ.Core;
using FastMQ.Protocol.Records;

namespace FastMQ.Storage.Segments;

/// <summary>
/// The log start offset set by DeleteRecords, persisted because it may lie inside the first segment (retention
/// moves the start to a segment boundary, which the segment files already tell). Layout (big-endian, 20 bytes):
/// magic "FMQL" | version u16 = 1 | reserved u16 | log start offset i64 | CRC-32C of the 16 bytes before it.
/// Keep in sync with docs/FORMATS.md.
/// </summary>
internal static class LogStartOffsetCheckpoint
{
    public const int Size = 20;
    private const uint Magic = 0x464D514C; // "FMQL"
    private const ushort Version = 1;

    public static string PathIn(string directory) => Path.Combine(directory, SegmentFileNames.LogStartOffsetCheckpoint);

    public static void Write(string directory, Offset logStartOffset)
    {
        var bytes = new byte[Size];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, Magic);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), Version);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(8), logStartOffset.Value);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), Crc32C.Compute(bytes.AsSpan(0, 16)));
        DurableFiles.WriteAtomically(PathIn(directory), bytes);
        DurableFiles.SyncDirectory(directory);
    }

    /// <summary>The persisted offset, or <see cref="Offset.Invalid"/> when absent or damaged (then segment boundaries decide).</summary>
    public static Offset Read(string directory)
    {
        string path = PathIn(directory);
        if (!File.Exists(path))
        {
            return Offset.Invalid;
        }
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length != Size
            || BinaryPrimitives.ReadUInt32BigEndian(bytes) != Magic
            || BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(4)) != Version
            || BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(16)) != Crc32C.Compute(bytes.AsSpan(0, 16)))
        {
            return Offset.Invalid;
        }
        return new Offset(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(8)));
    }
}
