using System;

namespace FastMQ.PerfHarness.Clients;

/// <summary>
/// Builds the producer and consumer clients of <c>--client</c>: <c>confluent</c> (Confluent.Kafka on its bundled
/// librdkafka, the default) or <c>fastmq</c> (FastMQ.Client).
/// </summary>
internal static class ClientFactory
{
    public static readonly string[] Names = ["confluent", "fastmq"];

    public static IPerfProducer CreateProducer(HarnessOptions o, string bootstrap, int partitions, IDeliverySink sink) => o.Client switch
    {
        "confluent" => new ConfluentProducer(KafkaSetup.ProducerConfig(o, bootstrap), o.Topic, partitions, sink),
        "fastmq" => new FastMQProducer(o, bootstrap, sink),
        _ => throw new ArgumentException($"--client {o.Client}: expected confluent or fastmq"),
    };

    public static IPerfConsumer CreateConsumer(HarnessOptions o, string bootstrap) => o.Client switch
    {
        "confluent" => new ConfluentConsumer(KafkaSetup.ConsumerConfig(bootstrap)),
        "fastmq" => new FastMQConsumer(bootstrap),
        _ => throw new ArgumentException($"--client {o.Client}: expected confluent or fastmq"),
    };
}
