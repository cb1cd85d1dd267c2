using System;
using System.Buffers;
using System.Buffers.Binary;
using FastMQ.Protocol.Records;
using K4os.Compression.LZ4;
using K4os.Hash.xxHash;

namespace FastMQ.Protocol.Compression;

/// <summary>
/// lz4 (codec 3): the LZ4 frame format (magic <c>04 22 4D 18</c>), framed here over K4os' block codec so that
/// neither direction allocates (K4os' own frame encoder and decoder allocate their buffers per frame).
/// </summary>
/// <remarks>
/// Writes what the Java producer writes: independent 64 KiB blocks, no block or content checksums
/// (FLG 0x60, BD 0x40); a block that does not shrink is stored raw. Reads any frame: linked or independent
/// blocks, 64 KiB–4 MiB blocks, block and content checksums (verified), content size (verified), skippable
/// frames and several frames in a row. Preset dictionaries are rejected: no Kafka client uses them.
/// </remarks>
internal static class Lz4FrameCodec
{
    public const uint FrameMagic = 0x184D2204;
    private const uint SkippableMagicMask = 0xFFFFFFF0;
    private const uint SkippableMagic = 0x184D2A50;
    private const uint UncompressedBlockFlag = 0x80000000;
    private const int WriteBlockMaxBytes = 64 * 1024;
    private const byte WriteFlags = 0x60;
    private const byte WriteBlockDescriptor = 0x40;

    /// <summary>Linked blocks may refer back this far into earlier output.</summary>
    private const int LinkedWindowBytes = 64 * 1024;

    public static int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        Span<byte> header = destination.GetSpan(7);
        BinaryPrimitives.WriteUInt32LittleEndian(header, FrameMagic);
        header[4] = WriteFlags;
        header[5] = WriteBlockDescriptor;
        header[6] = HeaderChecksum(header.Slice(4, 2));
        destination.Advance(7);
        int written = 7;
        for (int offset = 0; offset < source.Length; offset += WriteBlockMaxBytes)
        {
            ReadOnlySpan<byte> block = source.Slice(offset, Math.Min(WriteBlockMaxBytes, source.Length - offset));
            int bound = LZ4Codec.MaximumOutputSize(block.Length);
            Span<byte> span = destination.GetSpan(sizeof(uint) + Math.Max(bound, block.Length));
            int n = LZ4Codec.Encode(block, span.Slice(sizeof(uint), bound), LZ4Level.L00_FAST);
            if (n <= 0 || n >= block.Length)
            {
                block.CopyTo(span[sizeof(uint)..]);
                BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)block.Length | UncompressedBlockFlag);
                n = block.Length;
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)n);
            }
            destination.Advance(sizeof(uint) + n);
            written += sizeof(uint) + n;
        }
        destination.GetSpan(sizeof(uint))[..sizeof(uint)].Clear();
        destination.Advance(sizeof(uint));
        return written + sizeof(uint);
    }

    public static void Decompress(ReadOnlySpan<byte> source, GrowableBuffer destination, int maxBytes)
    {
        if (source.IsEmpty)
        {
            CodecErrors.Corrupt(CompressionCodec.Lz4, "the records area is empty");
        }
        int start = destination.Length;
        int position = 0;
        while (position < source.Length)
        {
            if (source.Length - position < sizeof(uint))
            {
                CodecErrors.Corrupt(CompressionCodec.Lz4, $"{source.Length - position} stray bytes at byte {position}");
            }
            uint magic = BinaryPrimitives.ReadUInt32LittleEndian(source[position..]);
            if ((magic & SkippableMagicMask) == SkippableMagic)
            {
                position = SkipFrame(source, position);
            }
            else if (magic == FrameMagic)
            {
                position = DecodeFrame(source, position + sizeof(uint), destination, start, maxBytes);
            }
            else
            {
                CodecErrors.Corrupt(CompressionCodec.Lz4, $"no LZ4 frame magic at byte {position} (found 0x{magic:X8})");
            }
        }
    }

    private static byte HeaderChecksum(ReadOnlySpan<byte> descriptor) => (byte)(XXH32.DigestOf(descriptor) >> 8);

    private static int SkipFrame(ReadOnlySpan<byte> source, int position)
    {
        if (source.Length - position < 8)
        {
            CodecErrors.Corrupt(CompressionCodec.Lz4, $"skippable frame header at byte {position} is cut off");
        }
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(source[(position + 4)..]);
        if (size > (uint)(source.Length - position - 8))
        {
            CodecErrors.Corrupt(CompressionCodec.Lz4, $"skippable frame at byte {position} runs past the end");
        }
        return position + 8 + (int)size;
    }

    /// <summary>Frame descriptor fields (after the magic, up to and including the header checksum).</summary>
    private readonly record struct FrameDescriptor(
        bool Independent, bool BlockChecksums, bool ContentChecksum, long ContentSize, int BlockMaxBytes);

    private static int DecodeFrame(ReadOnlySpan<byte> source, int position, GrowableBuffer destination, int start, int maxBytes)
    {
        position = ReadDescriptor(source, position, out FrameDescriptor frame);
        if (frame.ContentSize > maxBytes - (destination.Length - start))
        {
            CodecErrors.TooLarge(CompressionCodec.Lz4, maxBytes);
        }
        int frameStart = destination.Length;
        while (true)
        {
            if (source.Length - position < sizeof(uint))
            {
                CodecErrors.Corrupt(CompressionCodec.Lz4, $"frame is cut off before its end mark (byte {position})");
            }
            uint raw = BinaryPrimitives.ReadUInt32LittleEndian(source[position..]);
            position += sizeof(uint);
            if (raw == 0)
            {
                break;
            }
            int size = (int)(raw & ~UncompressedBlockFlag);
            if (size > frame.BlockMaxBytes || size > source.Length - position)
            {
                CodecErrors.Corrupt(
                    CompressionCodec.Lz4,
                    $"block of {size} bytes at byte {position - sizeof(uint)} exceeds the block maximum {frame.BlockMaxBytes} or the data left ({source.Length - position})");
            }
            ReadOnlySpan<byte> block = source.Slice(position, size);
            position += size;
            if (frame.BlockChecksums)
            {
                position = VerifyChecksum(source, position, block, "block");
            }
            if ((raw & UncompressedBlockFlag) != 0)
            {
                block.CopyTo(destination.GetSpan(size));
                destination.Advance(size);
            }
            else
            {
                DecodeBlock(block, destination, frame.Independent, frameStart, frame.BlockMaxBytes, position - size);
            }
            if (destination.Length - start > maxBytes)
            {
                CodecErrors.TooLarge(CompressionCodec.Lz4, maxBytes);
            }
        }
        if (frame.ContentChecksum)
        {
            position = VerifyChecksum(source, position, destination.WrittenSpan[frameStart..], "content");
        }
        if (frame.ContentSize >= 0 && frame.ContentSize != destination.Length - frameStart)
        {
            CodecErrors.Corrupt(
                CompressionCodec.Lz4,
                $"frame announced {frame.ContentSize} bytes of content but held {destination.Length - frameStart}");
        }
        return position;
    }

    /// <summary>Reads and checks FLG, BD, the optional content size and the header checksum.</summary>
    private static int ReadDescriptor(ReadOnlySpan<byte> source, int position, out FrameDescriptor frame)
    {
        int descriptorStart = position;
        if (source.Length - position < 3)
        {
            CodecErrors.Corrupt(CompressionCodec.Lz4, $"frame descriptor at byte {position} is cut off");
        }
        byte flags = source[position];
        byte blockDescriptor = source[position + 1];
        if ((flags >> 6) != 1 || (flags & 0x02) != 0 || (blockDescriptor & 0x8F) != 0)
        {
            CodecErrors.Corrupt(CompressionCodec.Lz4, $"unsupported frame descriptor FLG=0x{flags:X2} BD=0x{blockDescriptor:X2}");
        }
        if ((flags & 0x01) != 0)
        {
            CodecErrors.Corrupt(CompressionCodec.Lz4, "frame needs a preset dictionary, which Kafka never uses");
        }
        int sizeId = (blockDescriptor >> 4) & 0x07;
        if (sizeId < 4)
        {
            CodecErrors.Corrupt(CompressionCodec.Lz4, $"block size id {sizeId} is reserved");
        }
        bool hasContentSize = (flags & 0x08) != 0;
        int descriptorLength = 2 + (hasContentSize ? 8 : 0);
        if (source.Length - position < descriptorLength + 1)
        {
            CodecErrors.Corrupt(CompressionCodec.Lz4, $"frame descriptor at byte {position} is cut off");
        }
        long contentSize = -1;
        if (hasContentSize)
        {
            ulong announced = BinaryPrimitives.ReadUInt64LittleEndian(source[(position + 2)..]);
            contentSize = announced > int.MaxValue ? int.MaxValue : (long)announced;
        }
        position += descriptorLength;
        byte expectedChecksum = HeaderChecksum(source.Slice(descriptorStart, descriptorLength));
        if (source[position] != expectedChecksum)
        {
            CodecErrors.Corrupt(
                CompressionCodec.Lz4,
                $"frame header checksum is 0x{source[position]:X2}, expected 0x{expectedChecksum:X2}");
        }
        frame = new FrameDescriptor(
            Independent: (flags & 0x20) != 0,
            BlockChecksums: (flags & 0x10) != 0,
            ContentChecksum: (flags & 0x04) != 0,
            ContentSize: contentSize,
            BlockMaxBytes: 1 << (8 + (2 * sizeId)));
        return position + 1;
    }

    private static void DecodeBlock(
        ReadOnlySpan<byte> block, GrowableBuffer destination, bool independent, int frameStart, int blockMax, int blockPosition)
    {
        // Ensure room first: growing moves the array, and a linked block's dictionary must be taken from the final one.
        Span<byte> target = destination.GetSpan(blockMax)[..blockMax];
        int n;
        if (independent)
        {
            n = LZ4Codec.Decode(block, target);
        }
        else
        {
            int dictionaryStart = Math.Max(frameStart, destination.Length - LinkedWindowBytes);
            ReadOnlySpan<byte> dictionary = destination.WrittenSpan[dictionaryStart..];
            n = LZ4Codec.Decode(block, target, dictionary);
        }
        if (n < 0)
        {
            CodecErrors.Corrupt(CompressionCodec.Lz4, $"block at byte {blockPosition} does not decode");
        }
        destination.Advance(n);
    }

    private static int VerifyChecksum(ReadOnlySpan<byte> source, int position, ReadOnlySpan<byte> data, string what)
    {
        if (source.Length - position < sizeof(uint))
        {
            CodecErrors.Corrupt(CompressionCodec.Lz4, $"{what} checksum at byte {position} is cut off");
        }
        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(source[position..]);
        uint actual = XXH32.DigestOf(data);
        if (actual != expected)
        {
            CodecErrors.Corrupt(CompressionCodec.Lz4, $"{what} checksum is 0x{expected:X8}, data gives 0x{actual:X8}");
        }
        return position + sizeof(uint);
    }
}
