using System;
using System.Buffers.Binary;
using System.IO;
using FastMQ.Core;
using FastMQ.Protocol.Records;

namespace FastMQ.Storage.Segments;

/// <summary>
/// The clean-shutdown marker of a partition directory, written last by a clean close and deleted first by the
/// next open. Its facts let that open skip the recovery scan. Layout (big-endian, 36 bytes):
/// magic "FMQC" | version u16 = 1 | reserved u16 | active segment base offset i64 | active segment data bytes i64 |
/// log end offset i64 | CRC-32C of the 32 bytes before it. Keep in sync with docs/FORMATS.md.
/// </summary>
internal static class CleanShutdownMarker
{
    public const int Size = 36;
    private const uint Magic = 0x464D5143; // "FMQC"
    private const ushort Version = 1;

    public static string PathIn(string directory) => Path.Combine(directory, SegmentFileNames.CleanShutdownMarker);

    public static void Write(string directory, Offset activeBaseOffset, long activeDataBytes, Offset logEndOffset)
    {
        var bytes = new byte[Size];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, Magic);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), Version);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(8), activeBaseOffset.Value);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(16), activeDataBytes);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(24), logEndOffset.Value);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(32), Crc32C.Compute(bytes.AsSpan(0, 32)));
        DurableFiles.WriteAtomically(PathIn(directory), bytes);
    }

    /// <summary>Reads the marker; false when absent, damaged or of another version (then the log is recovered by scanning).</summary>
    public static bool TryRead(string directory, out Offset activeBaseOffset, out long activeDataBytes, out Offset logEndOffset)
    {
        activeBaseOffset = Offset.Invalid;
        activeDataBytes = 0;
        logEndOffset = Offset.Invalid;
        string path = PathIn(directory);
        if (!File.Exists(path))
        {
            return false;
        }
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length != Size
            || BinaryPrimitives.ReadUInt32BigEndian(bytes) != Magic
            || BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(4)) != Version
            || BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(32)) != Crc32C.Compute(bytes.AsSpan(0, 32)))
        {
            return false;
        }
        activeBaseOffset = new Offset(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(8)));
        activeDataBytes = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(16));
        logEndOffset = new Offset(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(24)));
        return true;
    }

    public static void Delete(string directory) => File.Delete(PathIn(directory));
}
