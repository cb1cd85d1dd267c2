namespace FastMQ.IntegrationTests.Hardening;

/// <summary>The bad-input tests on the .NET sockets network back-end.</summary>
public sealed class BadInputSocketsTests(BadInputSocketsTests.Broker fixture) : BadInputTests<BadInputSocketsTests.Broker>(fixture)
{
    public sealed class Broker() : BadInputBroker("sockets");
}
