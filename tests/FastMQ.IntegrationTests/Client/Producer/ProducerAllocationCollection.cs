using Xunit;

namespace FastMQ.IntegrationTests.Client.Producer;

/// <summary>
/// Runs the process-wide allocation measurement alone: xunit runs collections with parallelization disabled after the
/// parallel ones, so other tests' clients do not allocate inside the measured window.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProducerAllocationCollection
{
    public const string Name = "producer-allocation";
}
