using Xunit;

namespace FastMQ.IntegrationTests.Client.Consumer;

/// <summary>
/// Runs the consume allocation test alone: it measures the whole process's allocated bytes
/// (GC.GetTotalAllocatedBytes), which tests running in parallel would add to.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsumeAllocationCollection
{
    public const string Name = "Consume allocation (serial)";
}
