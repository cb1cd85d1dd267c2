using System;
using Xunit;

namespace FastMQ.IntegrationTests.Support;

/// <summary>
/// Lets a test assert that the broker did NOT log something while the broker keeps running. Waiting for a line to stay
/// absent proves nothing (it may still be in the pipe); instead the broker is made to log a fresh line and the test
/// waits for that one. The broker writes every log line through one ordered queue onto stdout, so once the fresh line
/// is in <see cref="BrokerProcess.Output"/>, every line the broker logged before it received the request is there too.
/// Lines the runtime writes to stderr (an unhandled exception) are not ordered with stdout: for those, stop the broker.
/// </summary>
public static class BrokerLogBarrier
{
    /// <summary>
    /// Creates a topic with a fresh name (1 partition; the only side effect) and waits for the broker's
    /// "Created topic" line for it.
    /// </summary>
    public static void Pass(BrokerProcess broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        string topic = "log-barrier-" + Guid.NewGuid().ToString("N");
        KafkaClients.CreateTopic(broker.BootstrapServers, topic, 1);
        Assert.True(broker.WaitForOutput($"Created topic {topic} "),
            $"the broker did not log the creation of {topic} within {BrokerProcess.OutputTimeout}:\n{broker.Output}");
    }
}
