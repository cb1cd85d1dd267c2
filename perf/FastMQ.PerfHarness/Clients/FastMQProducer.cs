using System;
using FastMQ.Client;
using FastMQ.Protocol.Records;

namespace FastMQ.PerfHarness.Clients;

/// <summary>
/// <see cref="IPerfProducer"/> over FastMQ.Client's <see cref="Producer"/>: explicit partition, <c>TryProduce</c>
/// (returns Full instead of waiting for buffer memory), this object as the allocation-free delivery handler.
/// </summary>
internal sealed class FastMQProducer : IPerfProducer, IDeliveryHandler
{
    private readonly Producer _producer;
    private readonly string _topic;
    private readonly IDeliverySink _sink;

    public FastMQProducer(HarnessOptions o, string bootstrap, IDeliverySink sink)
    {
        var config = new ProducerConfig();
        config.Set("bootstrap.servers", bootstrap);
        config.Set("client.id", "fastmq-perf");
        config.Set("acks", o.Acks == "all" ? "-1" : o.Acks);
        config.Set("compression.type", o.Compression);
        config.Set("linger.ms", o.EffectiveLingerMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        config.Set("batch.size", o.BatchSizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        config.Set("enable.idempotence", "false");
        // The same client-side buffer as the Confluent producer (queue.buffering.max.kbytes = 1 GiB).
        config.Set("buffer.memory", (1L << 30).ToString(System.Globalization.CultureInfo.InvariantCulture));
        _producer = new Producer(config);
        _topic = o.Topic;
        _sink = sink;
    }

    public bool TryProduce(int partition, byte[]? key, byte[] value) =>
        _producer.TryProduce(_topic, partition, key is null ? RecordBytes.Null : new ReadOnlySpan<byte>(key), new ReadOnlySpan<byte>(value),
            default, this) == ProduceStatus.Enqueued;

    public int Flush(TimeSpan timeout) => _producer.Flush(timeout) ? 0 : 1;

    public void OnDelivery(in DeliveryReport report) =>
        _sink.OnDelivered(report.Partition, report.IsSuccess ? null : report.ErrorMessage ?? report.Error.ToString());

    public void Dispose() => _producer.Dispose();
}
