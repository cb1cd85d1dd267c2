using System;
using System.Threading;

namespace FastMQ.IntegrationTests.Compat;

/// <summary>
/// One real broker shared by the kafkajs tests; each test uses its own topics. Auto-created topics get
/// <see cref="DefaultPartitions"/> partitions, a value other than the default 1 so a test can see the setting applied.
/// </summary>
public sealed class KafkaJsBrokerFixture : IDisposable
{
    public const int DefaultPartitions = 2;

    private static int s_topicCounter;

    public BrokerProcess Broker { get; } = new([$"--num.partitions={DefaultPartitions}"]);

    /// <summary>A topic name no other test uses.</summary>
    public static string NewTopic(string purpose) =>
        $"kjs-{purpose}-{Interlocked.Increment(ref s_topicCounter)}-{Guid.NewGuid().ToString("N")[..8]}";

    public void Dispose() => Broker.Dispose();
}
