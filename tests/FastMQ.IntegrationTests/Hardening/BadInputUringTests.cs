namespace FastMQ.IntegrationTests.Hardening;

/// <summary>The bad-input tests on the shard-driven io_uring network back-end.</summary>
public sealed class BadInputUringTests(BadInputUringTests.Broker fixture) : BadInputTests<BadInputUringTests.Broker>(fixture)
{
    public sealed class Broker() : BadInputBroker("io_uring");
}
