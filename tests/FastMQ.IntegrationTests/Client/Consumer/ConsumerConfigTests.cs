using System;
using FastMQ.Client;
using Xunit;
using FmConsumer = FastMQ.Client.Consumer;

namespace FastMQ.IntegrationTests.Client.Consumer;

/// <summary>Validation of consumer settings.</summary>
public sealed class ConsumerConfigTests
{
    [Fact]
    public void MetadataMaxAge_DefaultsToKafkas_AcceptsMilliseconds_AndRejectsBadValuesByName()
    {
        // Goal: metadata.max.age.ms defaults to 300000 ms like Kafka, Set parses milliseconds, and a zero, negative,
        // non-numeric or out-of-range value (by name or on the property) fails naming the setting. Method: ConsumerConfig
        // and the Consumer constructor, which validates (no broker needed: consumers connect lazily).
        var config = new ConsumerConfig();
        Assert.Equal(TimeSpan.FromMilliseconds(300_000), config.MetadataMaxAge);
        config.Set("metadata.max.age.ms", "1000");
        Assert.Equal(TimeSpan.FromSeconds(1), config.MetadataMaxAge);
        foreach (string bad in new[] { "0", "-5", "abc", "1.5", "3000000000" })
        {
            ArgumentException e = Assert.Throws<ArgumentException>(() => config.Set("metadata.max.age.ms", bad));
            Assert.Contains("metadata.max.age.ms", e.Message, StringComparison.Ordinal);
            Assert.Contains(bad, e.Message, StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromSeconds(1), config.MetadataMaxAge); // a rejected value changes nothing
        }
        foreach (TimeSpan bad in new[] { TimeSpan.Zero, TimeSpan.FromMilliseconds(-1), TimeSpan.FromDays(30) })
        {
            var direct = new ConsumerConfig { BootstrapServers = "127.0.0.1:1", MetadataMaxAge = bad };
            ArgumentException e = Assert.Throws<ArgumentException>(() => new FmConsumer(direct).Dispose());
            Assert.Equal("metadata.max.age.ms", e.ParamName);
        }
        using var ok = new FmConsumer(new ConsumerConfig { BootstrapServers = "127.0.0.1:1", MetadataMaxAge = TimeSpan.FromMilliseconds(1) });
        Assert.Empty(ok.Assignment);
    }
}
