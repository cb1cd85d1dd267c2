using System;
using System.Buffers;
using FastMQ.Protocol.Records;

namespace FastMQ.Protocol.Compression;

/// <summary>
/// Compresses a batch's records area with any Kafka codec, appending to an <see cref="IBufferWriter{T}"/>.
/// </summary>
/// <remarks>
/// One instance per thread (not thread-safe); it keeps the codec contexts so that repeated calls allocate nothing,
/// except gzip (.NET has no span-based zlib API: one GZipStream and its zlib state per call) and snappy (Snappier
/// allocates a ~50-byte helper object per call).
/// Output formats: gzip stream, one raw snappy block (as librdkafka), LZ4 frame with independent 64 KiB blocks,
/// zstd frame with its content size.
/// </remarks>
public sealed class RecordCompressor : IDisposable
{
    /// <summary>zlib's default level, which librdkafka and the Java producer use.</summary>
    public const int DefaultGzipLevel = 6;

    /// <summary>zstd's default level, which librdkafka and the Java producer use.</summary>
    public const int DefaultZstdLevel = 3;

    private readonly int _gzipLevel;
    private readonly int _zstdLevel;
    private GzipCodec? _gzip;
    private ZstdCodec? _zstd;

    /// <param name="gzipLevel">zlib level 0–9; defaults to 6.</param>
    /// <param name="zstdLevel">zstd level 1–22; defaults to 3.</param>
    public RecordCompressor(int gzipLevel = DefaultGzipLevel, int zstdLevel = DefaultZstdLevel)
    {
        if (gzipLevel is < 0 or > 9)
        {
            Core.ThrowHelper.ArgumentOutOfRange(nameof(gzipLevel), "gzip level must be 0–9");
        }
        if (zstdLevel is < 1 or > 22)
        {
            Core.ThrowHelper.ArgumentOutOfRange(nameof(zstdLevel), "zstd level must be 1–22");
        }
        _gzipLevel = gzipLevel;
        _zstdLevel = zstdLevel;
    }

    /// <summary>
    /// Appends <paramref name="source"/> compressed with <paramref name="codec"/> to <paramref name="destination"/>
    /// and returns the number of bytes appended. <see cref="CompressionCodec.None"/> copies.
    /// </summary>
    public int Compress(CompressionCodec codec, ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        switch (codec)
        {
            case CompressionCodec.None:
                source.CopyTo(destination.GetSpan(source.Length));
                destination.Advance(source.Length);
                return source.Length;
            case CompressionCodec.Gzip:
                return (_gzip ??= new GzipCodec(_gzipLevel)).Compress(source, destination);
            case CompressionCodec.Snappy:
                return SnappyCodec.Compress(source, destination);
            case CompressionCodec.Lz4:
                return Lz4FrameCodec.Compress(source, destination);
            case CompressionCodec.Zstd:
                return (_zstd ??= new ZstdCodec(_zstdLevel)).Compress(source, destination);
            default:
                Core.ThrowHelper.ArgumentOutOfRange(nameof(codec), $"unknown compression codec {(int)codec}");
                return 0;
        }
    }

    public void Dispose()
    {
        _gzip?.Dispose();
        _zstd?.Dispose();
        _gzip = null;
        _zstd = null;
    }
}
