using System;
using System.Buffers;
using System.Buffers.Binary;
using System.IO;
using FastMQ.Protocol.Records;
using Snappier;

namespace FastMQ.Protocol.Compression;

/// <summary>
/// snappy (codec 2). Writes one raw snappy block, as librdkafka does. Reads both a raw block and the xerial /
/// snappy-java stream framing the Java producer uses: magic <c>82 53 4E 41 50 50 59 00</c>, int32 version, int32
/// minimum compatible version, then chunks of [int32 big-endian length][raw snappy block].
/// </summary>
/// <remarks>Snappier allocates a small object per call internally (about 50–80 bytes); the buffers are ours.</remarks>
internal static class SnappyCodec
{
    /// <summary>magic (8) + version (4) + compatible version (4).</summary>
    public const int XerialHeaderSize = 16;

    public static ReadOnlySpan<byte> XerialMagic => [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00];

    public static int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        int max = Snappy.GetMaxCompressedLength(source.Length);
        Span<byte> span = destination.GetSpan(max);
        int n = Snappy.Compress(source, span[..max]);
        destination.Advance(n);
        return n;
    }

    public static void Decompress(ReadOnlySpan<byte> source, GrowableBuffer destination, int maxBytes)
    {
        int start = destination.Length;
        if (!source.StartsWith(XerialMagic))
        {
            DecompressBlock(source, destination, maxBytes - (destination.Length - start));
            return;
        }
        if (source.Length < XerialHeaderSize)
        {
            CodecErrors.Corrupt(CompressionCodec.Snappy, $"xerial header needs {XerialHeaderSize} bytes, got {source.Length}");
        }
        int position = XerialHeaderSize;
        while (position < source.Length)
        {
            if (source.Length - position < sizeof(int))
            {
                CodecErrors.Corrupt(CompressionCodec.Snappy, $"xerial chunk length at byte {position} is cut off");
            }
            int chunkLength = BinaryPrimitives.ReadInt32BigEndian(source[position..]);
            position += sizeof(int);
            if (chunkLength < 0 || chunkLength > source.Length - position)
            {
                CodecErrors.Corrupt(
                    CompressionCodec.Snappy,
                    $"xerial chunk of {chunkLength} bytes at byte {position - sizeof(int)} runs past the end ({source.Length - position} bytes left)");
            }
            DecompressBlock(source.Slice(position, chunkLength), destination, maxBytes - (destination.Length - start));
            position += chunkLength;
        }
    }

    private static void DecompressBlock(ReadOnlySpan<byte> block, GrowableBuffer destination, int allowedBytes)
    {
        try
        {
            int length = Snappy.GetUncompressedLength(block);
            if (length > allowedBytes)
            {
                CodecErrors.TooLarge(CompressionCodec.Snappy, allowedBytes);
            }
            Span<byte> span = destination.GetSpan(length)[..length];
            int n = Snappy.Decompress(block, span);
            if (n != length)
            {
                CodecErrors.Corrupt(CompressionCodec.Snappy, $"block announced {length} bytes but produced {n}");
            }
            destination.Advance(n);
        }
        catch (InvalidDataException e)
        {
            CodecErrors.Corrupt(CompressionCodec.Snappy, e.Message, e);
        }
        catch (ArgumentException e)
        {
            CodecErrors.Corrupt(CompressionCodec.Snappy, e.Message, e);
        }
    }
}
