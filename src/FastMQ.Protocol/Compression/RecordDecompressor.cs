using System;
using FastMQ.Protocol.Records;

namespace FastMQ.Protocol.Compression;

/// <summary>
/// Decompresses a batch's records area into a buffer it owns and reuses, so that reading compressed batches
/// allocates nothing once the buffer has grown to the largest batch seen (gzip and, by ~80 bytes a call, snappy
/// excepted: see <see cref="RecordCompressor"/>).
/// </summary>
/// <remarks>
/// One instance per thread (not thread-safe). The span <see cref="Decompress"/> returns stays valid until the next
/// call or <see cref="Dispose"/>. Accepts every format Kafka clients send: gzip (several members too), snappy raw
/// blocks and xerial framing, LZ4 frames (linked or independent blocks, checksums verified), zstd frames with or
/// without content size. Malformed data and output above <see cref="MaxDecompressedBytes"/> throw
/// <see cref="CorruptRecordException"/>.
/// </remarks>
public sealed class RecordDecompressor : IDisposable
{
    /// <summary>
    /// Cap on one records area after decompression; guards against compression bombs.
    /// Kafka's largest default message size is 1 MiB compressed, so 256 MiB leaves room for very compressible data.
    /// </summary>
    public const int DefaultMaxDecompressedBytes = 256 * 1024 * 1024;

    private const int InitialCapacityBytes = 64 * 1024;

    private readonly GrowableBuffer _output = new(InitialCapacityBytes);
    private GzipCodec? _gzip;
    private ZstdCodec? _zstd;

    /// <param name="maxDecompressedBytes">Largest records area accepted; defaults to 256 MiB.</param>
    public RecordDecompressor(int maxDecompressedBytes = DefaultMaxDecompressedBytes)
    {
        if (maxDecompressedBytes <= 0 || maxDecompressedBytes >= Array.MaxLength)
        {
            Core.ThrowHelper.ArgumentOutOfRange(nameof(maxDecompressedBytes), "must be positive and below the largest array size");
        }
        MaxDecompressedBytes = maxDecompressedBytes;
    }

    public int MaxDecompressedBytes { get; }

    /// <summary>
    /// Decompresses <paramref name="source"/> (the bytes after a batch header) and returns the records area.
    /// <see cref="CompressionCodec.None"/> returns <paramref name="source"/> itself.
    /// </summary>
    /// <exception cref="CorruptRecordException">The data is malformed or too large.</exception>
    public ReadOnlySpan<byte> Decompress(CompressionCodec codec, ReadOnlySpan<byte> source)
    {
        _output.Clear();
        switch (codec)
        {
            case CompressionCodec.None:
                return source;
            case CompressionCodec.Gzip:
                (_gzip ??= new GzipCodec(RecordCompressor.DefaultGzipLevel)).Decompress(source, _output, MaxDecompressedBytes);
                break;
            case CompressionCodec.Snappy:
                SnappyCodec.Decompress(source, _output, MaxDecompressedBytes);
                break;
            case CompressionCodec.Lz4:
                Lz4FrameCodec.Decompress(source, _output, MaxDecompressedBytes);
                break;
            case CompressionCodec.Zstd:
                (_zstd ??= new ZstdCodec(RecordCompressor.DefaultZstdLevel)).Decompress(source, _output, MaxDecompressedBytes);
                break;
            default:
                throw new CorruptRecordException($"batch uses reserved compression codec {(int)codec}");
        }
        return _output.WrittenSpan;
    }

    public void Dispose()
    {
        _gzip?.Dispose();
        _zstd?.Dispose();
        _gzip = null;
        _zstd = null;
    }
}
