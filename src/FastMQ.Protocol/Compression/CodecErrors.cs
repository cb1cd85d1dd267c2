using System;
using System.Diagnostics.CodeAnalysis;
using FastMQ.Protocol.Records;

namespace FastMQ.Protocol.Compression;

/// <summary>Throw helpers for codec failures, kept out of the codec loops.</summary>
internal static class CodecErrors
{
    [DoesNotReturn]
    public static void Corrupt(CompressionCodec codec, string detail, Exception? inner = null)
    {
        string message = $"{CodecName(codec)} records area is corrupt: {detail}";
        throw inner is null ? new CorruptRecordException(message) : new CorruptRecordException(message, inner);
    }

    [DoesNotReturn]
    public static void TooLarge(CompressionCodec codec, int maxBytes) =>
        throw new CorruptRecordException(
            $"{CodecName(codec)} records area decompresses to more than the limit of {maxBytes} bytes");

    public static string CodecName(CompressionCodec codec) => codec switch
    {
        CompressionCodec.None => "uncompressed",
        CompressionCodec.Gzip => "gzip",
        CompressionCodec.Snappy => "snappy",
        CompressionCodec.Lz4 => "lz4",
        CompressionCodec.Zstd => "zstd",
        _ => $"codec {(int)codec}",
    };
}
