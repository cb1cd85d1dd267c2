using System;
using FastMQ.Client;
using FastMQ.Client.Producing;
using FastMQ.Protocol.Compression;
using FastMQ.Protocol.Records;

namespace FastMQ.Benchmarks.Client;

/// <summary>
/// The producer's per-record hot path without a network: records go through the real <see cref="RecordAccumulator"/>
/// (thread-local lane, CAS hand-over, record encoding into pooled chunks); every full batch is sealed (header, CRC-32C)
/// and recycled as the sender would after its acknowledgement, with one delivery report per record.
/// </summary>
/// <remarks>Used by <see cref="ProducerBenchmarks"/> and by the allocation budget in FastMQ.Benchmarks.Tests.</remarks>
public sealed class ProducerAppendDriver : IDisposable, IDeliveryHandler
{
    private readonly RecordAccumulator _accumulator;
    private readonly PartitionState _partition;
    private readonly RecordCompressor _compressor = new();
    private readonly System.Buffers.ArrayBufferWriter<byte> _scratch = new(1 << 20);
    private readonly System.Buffers.ArrayBufferWriter<byte> _compressed = new(1 << 20);
    private readonly byte[] _key = new byte[8];
    private readonly byte[] _value;
    private readonly ProduceHeader[] _headers;
    private readonly CompressionCodec _codec;
    private long _delivered;

    /// <param name="valueBytes">Size of each record's value.</param>
    /// <param name="withHeader">Give every record one header.</param>
    /// <param name="codec">Compression applied when a batch is sealed.</param>
    public ProducerAppendDriver(int valueBytes, bool withHeader = false, CompressionCodec codec = CompressionCodec.None)
    {
        _value = new byte[valueBytes];
        new Random(42).NextBytes(_value);
        _headers = withHeader ? [new ProduceHeader("trace-id", new byte[16])] : [];
        _codec = codec;
        var memory = new BufferMemory(32L << 20);
        _accumulator = new RecordAccumulator(memory, 1_000_000, 1 << 20, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(10), static () => { });
        _partition = new TopicState("bench", 1, 0).Partitions[0];
    }

    /// <summary>Delivery reports seen.</summary>
    public long Delivered => _delivered;

    /// <summary>Produces <paramref name="count"/> records, sealing and recycling batches as they fill.</summary>
    public void Produce(int count)
    {
        for (int i = 0; i < count; i++)
        {
            BitConverter.TryWriteBytes(_key, i);
            _accumulator.Append(_partition, 1_700_000_000_000 + i, _key, _value, _headers, this, i, null, block: false);
            if (_partition.HasReady)
            {
                Drain();
            }
        }
    }

    /// <summary>Seals and recycles every batch handed off so far (the open one stays open).</summary>
    public void Drain()
    {
        while (_partition.TryDequeue() is { } batch)
        {
            batch.Seal(1, 0, 0, _codec, _compressor, _scratch, _compressed, _accumulator.Memory);
            for (int i = 0; i < batch.Count; i++)
            {
                ref readonly RecordMeta meta = ref batch.Meta(i);
                var report = new DeliveryReport("bench", 0, i, meta.TimestampMs, FastMQ.Protocol.Messages.ErrorCode.None, null,
                    meta.State, meta.StateObject);
                meta.Handler?.OnDelivery(in report);
            }
            _accumulator.Recycle(batch);
        }
    }

    /// <inheritdoc/>
    public void OnDelivery(in DeliveryReport report) => _delivered++;

    /// <inheritdoc/>
    public void Dispose()
    {
        _accumulator.Dispose();
        _compressor.Dispose();
    }
}
