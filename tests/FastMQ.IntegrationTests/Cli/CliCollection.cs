using Xunit;

namespace FastMQ.IntegrationTests.Cli;

/// <summary>The CLI test classes share one broker process and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<CliBrokerFixture>
{
    public const string Name = "fastmq CLI";
}
