using System;
using Confluent.Kafka;

namespace FastMQ.PerfHarness.Clients;

/// <summary>
/// <see cref="IPerfProducer"/> over Confluent.Kafka (bundled librdkafka). Messages go to an explicit partition; one
/// cached delivery handler for all of them; delivery reports carry only the status (no key/value marshalling back).
/// </summary>
internal sealed class ConfluentProducer : IPerfProducer
{
    private readonly IProducer<byte[]?, byte[]> _producer;
    private readonly TopicPartition[] _targets;
    private readonly Message<byte[]?, byte[]> _message = new();
    private readonly Action<DeliveryReport<byte[]?, byte[]>> _onDelivery;
    private readonly IDeliverySink _sink;

    public ConfluentProducer(ProducerConfig config, string topic, int partitions, IDeliverySink sink)
    {
        config.Set("dotnet.producer.delivery.report.fields", "status");
        _producer = new ProducerBuilder<byte[]?, byte[]>(config).Build();
        _targets = new TopicPartition[partitions];
        for (int p = 0; p < partitions; p++)
        {
            _targets[p] = new TopicPartition(topic, new Partition(p));
        }
        _sink = sink;
        _onDelivery = OnDelivery;
    }

    public bool TryProduce(int partition, byte[]? key, byte[] value)
    {
        _message.Key = key;
        _message.Value = value;
        try
        {
            _producer.Produce(_targets[partition], _message, _onDelivery);
            return true;
        }
        catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
        {
            return false;
        }
    }

    public int Flush(TimeSpan timeout) => _producer.Flush(timeout);

    private void OnDelivery(DeliveryReport<byte[]?, byte[]> report) =>
        _sink.OnDelivered(report.Partition.Value, report.Error.IsError ? report.Error.ToString() : null);

    public void Dispose() => _producer.Dispose();
}
