using System;
using System.Buffers;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using FastMQ.Protocol.Compression;
using FastMQ.Protocol.Records;
using K4os.Compression.LZ4.Streams;
using Xunit;

namespace FastMQ.Protocol.Tests.Compression;

public sealed class CodecTests
{
    public static TheoryData<CompressionCodec, int> CodecsAndSizes()
    {
        var data = new TheoryData<CompressionCodec, int>();
        foreach (CompressionCodec codec in new[] { CompressionCodec.Gzip, CompressionCodec.Snappy, CompressionCodec.Lz4, CompressionCodec.Zstd })
        {
            foreach (int size in new[] { 0, 1, 100, 65_536, 65_537, 300_000 })
            {
                data.Add(codec, size);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CodecsAndSizes))]
    public void Compress_ThenDecompress_GivesTheInputBack(CompressionCodec codec, int size)
    {
        // Goal: every codec round-trips, at block boundaries too. Method: compress half-random data with
        // RecordCompressor, decompress with RecordDecompressor, compare.
        byte[] input = Data(size, seed: size);
        using var compressor = new RecordCompressor();
        using var decompressor = new RecordDecompressor();
        var compressed = new ArrayBufferWriter<byte>();

        int n = compressor.Compress(codec, input, compressed);

        Assert.Equal(compressed.WrittenCount, n);
        Assert.True(decompressor.Decompress(codec, compressed.WrittenSpan).SequenceEqual(input));
    }

    [Fact]
    public void Snappy_XerialFraming_IsDecoded()
    {
        // Goal: the Java producer's snappy-java stream framing decodes. Method: frame three raw snappy chunks the
        // way snappy-java does (magic, version 1, compatible 1, [int32 length][block]…) and decode.
        byte[] input = Data(100_000, seed: 3);
        using var stream = new MemoryStream();
        stream.Write([0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
        foreach ((int start, int length) in new[] { (0, 32_768), (32_768, 32_768), (65_536, 34_464) })
        {
            byte[] block = Snappier.Snappy.CompressToArray(input.AsSpan(start, length));
            byte[] prefix = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(prefix, block.Length);
            stream.Write(prefix);
            stream.Write(block);
        }
        using var decompressor = new RecordDecompressor();

        Assert.True(decompressor.Decompress(CompressionCodec.Snappy, stream.ToArray()).SequenceEqual(input));
    }

    [Fact]
    public void Snappy_BrokenXerialFraming_ThrowsCorruptRecord()
    {
        // Goal: a damaged xerial stream is reported. Method: header cut short, and a chunk length past the end.
        using var decompressor = new RecordDecompressor();
        byte[] shortHeader = [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0];
        byte[] longChunk = [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 5];

        Assert.Throws<CorruptRecordException>(() => decompressor.Decompress(CompressionCodec.Snappy, shortHeader).Length);
        var e = Assert.Throws<CorruptRecordException>(() => decompressor.Decompress(CompressionCodec.Snappy, longChunk).Length);
        Assert.Contains("runs past the end", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, false, false, false)]
    [InlineData(true, true, true, true)]
    [InlineData(true, false, true, false)]
    public void Lz4_FramesFromAnotherEncoder_AreDecoded(bool chainBlocks, bool blockChecksum, bool contentChecksum, bool contentSize)
    {
        // Goal: any LZ4 frame a client may send decodes: linked blocks, checksums, content size. Method: encode
        // with K4os' own frame encoder (an independent implementation) under each setting, decode with ours.
        byte[] input = Data(200_000, seed: 11);
        var settings = new LZ4EncoderSettings
        {
            ChainBlocks = chainBlocks,
            BlockChecksum = blockChecksum,
            ContentChecksum = contentChecksum,
            BlockSize = 64 * 1024,
        };
        var writer = new ArrayBufferWriter<byte>();
        LZ4Frame.Encode(input.AsSpan(), writer, settings);
        byte[] frame = contentSize ? WithContentSize(writer.WrittenSpan, (ulong)input.Length) : writer.WrittenSpan.ToArray();
        Assert.Equal(chainBlocks, (frame[4] & 0x20) == 0); // FLG bit 5: block independence
        Assert.Equal(blockChecksum, (frame[4] & 0x10) != 0);
        using var decompressor = new RecordDecompressor();

        Assert.True(decompressor.Decompress(CompressionCodec.Lz4, frame).SequenceEqual(input));
        if (contentSize)
        {
            byte[] wrongSize = WithContentSize(writer.WrittenSpan, (ulong)input.Length - 1);
            var e = Assert.Throws<CorruptRecordException>(() => decompressor.Decompress(CompressionCodec.Lz4, wrongSize).Length);
            Assert.Contains("announced", e.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// K4os cannot write the optional content-size field, so add it: set FLG bit 3, insert the 8-byte size after
    /// BD and recompute the header checksum (second byte of XXH32 over FLG … size).
    /// </summary>
    private static byte[] WithContentSize(ReadOnlySpan<byte> frame, ulong size)
    {
        byte[] result = new byte[frame.Length + 8];
        frame[..4].CopyTo(result);
        result[4] = (byte)(frame[4] | 0x08);
        result[5] = frame[5];
        BinaryPrimitives.WriteUInt64LittleEndian(result.AsSpan(6), size);
        result[14] = (byte)(K4os.Hash.xxHash.XXH32.DigestOf(result.AsSpan(4, 10)) >> 8);
        frame[7..].CopyTo(result.AsSpan(15));
        return result;
    }

    [Fact]
    public void Lz4_OurFrames_DecodeWithAnotherDecoder()
    {
        // Goal: our LZ4 frames are standard. Method: decode our output with K4os' frame decoder.
        byte[] input = Data(150_000, seed: 5);
        using var compressor = new RecordCompressor();
        var frame = new ArrayBufferWriter<byte>();
        compressor.Compress(CompressionCodec.Lz4, input, frame);
        var decoded = new ArrayBufferWriter<byte>();

        LZ4Frame.Decode(frame.WrittenSpan, decoded);

        Assert.True(decoded.WrittenSpan.SequenceEqual(input));
    }

    [Fact]
    public void Lz4_DamagedFrames_ThrowCorruptRecord()
    {
        // Goal: header, block and content checksums are verified. Method: flip a byte in each region of a frame
        // that carries block and content checksums.
        byte[] input = Data(10_000, seed: 9);
        var frame = new ArrayBufferWriter<byte>();
        LZ4Frame.Encode(input.AsSpan(), frame, new LZ4EncoderSettings { BlockChecksum = true, ContentChecksum = true });
        byte[] good = frame.WrittenSpan.ToArray();
        using var decompressor = new RecordDecompressor();

        foreach ((int position, string expected) in new[] { (6, "header checksum"), (20, "checksum"), (good.Length - 2, "content checksum") })
        {
            byte[] bad = (byte[])good.Clone();
            bad[position] ^= 0x40;
            var e = Assert.Throws<CorruptRecordException>(() => decompressor.Decompress(CompressionCodec.Lz4, bad).Length);
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }
        Assert.Throws<CorruptRecordException>(() => decompressor.Decompress(CompressionCodec.Lz4, good.AsSpan(0, good.Length - 9)).Length);
    }

    [Fact]
    public void Zstd_StreamedFramesWithoutContentSize_AndSeveralFrames_AreDecoded()
    {
        // Goal: zstd frames as librdkafka writes them (streamed, no content size) and concatenated frames decode.
        // Method: stream-compress two inputs with ZstdSharp (continue, then end), concatenate, decode.
        byte[] a = Data(70_000, seed: 1);
        byte[] b = Data(5_000, seed: 2);
        byte[] frames = [.. StreamCompress(a), .. StreamCompress(b)];
        byte[] single = StreamCompress(b);
        Assert.Equal(0, single[4] & 0xE0); // frame header descriptor: no content size field, not single-segment
        using var decompressor = new RecordDecompressor();

        Assert.True(decompressor.Decompress(CompressionCodec.Zstd, frames).SequenceEqual([.. a, .. b]));
        Assert.Throws<CorruptRecordException>(() => decompressor.Decompress(CompressionCodec.Zstd, frames.AsSpan(0, frames.Length - 3)).Length);
    }

    [Fact]
    public void Gzip_SeveralMembers_AreDecoded()
    {
        // Goal: concatenated gzip members (allowed by the format) decode as one stream. Method: two GZipStream outputs.
        byte[] a = Data(1000, seed: 4);
        byte[] b = Data(2000, seed: 6);
        using var decompressor = new RecordDecompressor();

        Assert.True(decompressor.Decompress(CompressionCodec.Gzip, [.. GzipCompress(a), .. GzipCompress(b)]).SequenceEqual([.. a, .. b]));
        Assert.Throws<CorruptRecordException>(() => decompressor.Decompress(CompressionCodec.Gzip, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff]).Length);
    }

    [Theory]
    [InlineData(CompressionCodec.Gzip)]
    [InlineData(CompressionCodec.Snappy)]
    [InlineData(CompressionCodec.Lz4)]
    [InlineData(CompressionCodec.Zstd)]
    public void Decompress_AboveTheLimit_ThrowsCorruptRecord(CompressionCodec codec)
    {
        // Goal: a compression bomb is stopped at the configured size. Method: 1 MiB of zeros, limit 64 KiB.
        byte[] zeros = new byte[1 << 20];
        using var compressor = new RecordCompressor();
        var compressed = new ArrayBufferWriter<byte>();
        compressor.Compress(codec, zeros, compressed);
        using var decompressor = new RecordDecompressor(maxDecompressedBytes: 64 * 1024);

        var e = Assert.Throws<CorruptRecordException>(() => decompressor.Decompress(codec, compressed.WrittenSpan).Length);
        Assert.Contains("limit of 65536 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decompress_ReservedCodec_ThrowsCorruptRecord()
    {
        // Goal: codecs 5–7 are refused by name. Method: decompress with codec 5.
        using var decompressor = new RecordDecompressor();
        Assert.Throws<CorruptRecordException>(() => decompressor.Decompress((CompressionCodec)5, [1, 2, 3]).Length);
    }

    private static byte[] StreamCompress(byte[] input)
    {
        using var compressor = new ZstdSharp.Compressor(3);
        byte[] output = new byte[ZstdSharp.Compressor.GetCompressBound(input.Length) + 64];
        // "continue" then "end", as librdkafka calls ZSTD_compressStream then ZSTD_endStream: no content size.
        compressor.WrapStream(input, output, out int consumed, out int written, false);
        Assert.Equal(input.Length, consumed);
        Assert.Equal(OperationStatus.Done, compressor.FlushStream(output.AsSpan(written), out int flushed, true));
        return output.AsSpan(0, written + flushed).ToArray();
    }

    private static byte[] GzipCompress(byte[] input)
    {
        using var stream = new MemoryStream();
        using (var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(input);
        }
        return stream.ToArray();
    }

    /// <summary>Half random bytes, half text: compressible but not trivially.</summary>
    internal static byte[] Data(int size, int seed)
    {
        var random = new Random(seed);
        byte[] text = "the records area of a FastMQ batch "u8.ToArray();
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++)
        {
            data[i] = i % 2 == 0 ? text[i % text.Length] : (byte)random.Next(256);
        }
        return data;
    }
}
