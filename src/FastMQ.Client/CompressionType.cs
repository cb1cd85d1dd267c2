namespace FastMQ.Client;

/// <summary>Codec a producer compresses each record batch with (Kafka's <c>compression.type</c>).</summary>
public enum CompressionType : byte
{
    /// <summary>No compression.</summary>
    None = 0,

    /// <summary>gzip (zlib level 6); allocates a few hundred bytes per batch (.NET's zlib API takes streams).</summary>
    Gzip = 1,

    /// <summary>Snappy, one raw block per batch as librdkafka writes it.</summary>
    Snappy = 2,

    /// <summary>LZ4 frame (K4os.Compression.LZ4).</summary>
    Lz4 = 3,

    /// <summary>Zstandard level 3 (ZstdSharp); needs Produce v7+, i.e. Kafka 2.1 or later.</summary>
    Zstd = 4,
}
