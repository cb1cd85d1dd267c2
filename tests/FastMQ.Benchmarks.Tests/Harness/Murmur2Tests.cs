using System.Text;
using FastMQ.PerfHarness.Workload;
using Xunit;

namespace FastMQ.Benchmarks.Tests.Harness;

public sealed class Murmur2Tests
{
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void HashMatchesTheJavaClientVectors(string key, int expected)
    {
        // Goal: keyed messages land where the Java client puts them. Method: Kafka's UtilsTest murmur2 vectors.
        Assert.Equal(expected, Murmur2.Hash(Encoding.ASCII.GetBytes(key)));
    }

    [Fact]
    public void PartitionClearsTheSignBitBeforeTheModulo()
    {
        // Goal: negative hashes map like Utils.toPositive. Method: "foobar" (negative hash) over 50 partitions is 16.
        Assert.Equal(16, Murmur2.Partition(Encoding.ASCII.GetBytes("foobar"), 50));
    }
}
