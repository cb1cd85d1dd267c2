using System;
using System.Text;
using FastMQ.Protocol.Primitives;
using Xunit;

namespace FastMQ.Protocol.Tests.Primitives;

public sealed class Murmur2Tests
{
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void Hash_MatchesTheJavaClientVectors(string key, int expected)
    {
        // Goal: keyed records land where the Java client puts them. Method: the murmur2 vectors of Kafka's UtilsTest.
        Assert.Equal(expected, Murmur2.Hash(Encoding.ASCII.GetBytes(key)));
    }

    [Theory]
    [InlineData("1", -1993445489)]
    [InlineData("12", 126087238)]
    [InlineData("123", -267702483)]
    [InlineData("1234", -1614185708)]
    [InlineData("12345", -1188365604)]
    public void Hash_MatchesTheJavaClientForEveryTailLength(string key, int expected)
    {
        // Goal: the 0 to 3 trailing bytes after the 4-byte blocks mix in as in Java. Method: Utils.murmur2 values of
        // keys 1 to 5 bytes long (tails 1, 2, 3, 0 and a block plus a 1-byte tail).
        Assert.Equal(expected, Murmur2.Hash(Encoding.ASCII.GetBytes(key)));
    }

    [Fact]
    public void Hash_OfAnUnalignedSlice_EqualsHashOfACopy()
    {
        // Goal: the span overload hashes exactly the bytes given, wherever they sit. Method: hash a key at odd offsets
        // inside a larger buffer with different bytes around it, and compare with the hash of a standalone copy.
        byte[] key = Encoding.ASCII.GetBytes("a-little-bit-longer-string");
        int expected = Murmur2.Hash(key);
        for (int offset = 1; offset < 4; offset++)
        {
            byte[] buffer = new byte[key.Length + 8];
            buffer.AsSpan().Fill(0xAB);
            key.CopyTo(buffer, offset);
            Assert.Equal(expected, Murmur2.Hash(buffer.AsSpan(offset, key.Length)));
        }
    }

    [Fact]
    public void Hash_AndPartition_AllocateNothing()
    {
        // Goal: the producer's keyed path stays allocation-free. Method: warm up, then count this thread's allocated
        // bytes across 10,000 calls of each.
        byte[] key = Encoding.ASCII.GetBytes("key-000000042");
        int sink = Murmur2.Hash(key) + Murmur2.Partition(key, 7);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            sink += Murmur2.Hash(key) + Murmur2.Partition(key, 7);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.NotEqual(0, sink);
    }

    [Theory]
    [InlineData(5, 5)]
    [InlineData(-1, int.MaxValue)]
    [InlineData(int.MinValue, 0)]
    [InlineData(-790332482, 1357151166)]
    public void ToPositive_ClearsOnlyTheSignBit(int hash, int expected)
    {
        // Goal: the same mapping as Kafka's Utils.toPositive, not Math.Abs. Method: edge values, including MinValue.
        Assert.Equal(expected, Murmur2.ToPositive(hash));
    }

    [Fact]
    public void Partition_ClearsTheSignBitBeforeTheModulo()
    {
        // Goal: negative hashes map like toPositive(hash) % n. Method: "foobar" (negative hash) over 50 partitions is
        // 1357151166 % 50 = 16, and every key stays in range.
        Assert.Equal(16, Murmur2.Partition(Encoding.ASCII.GetBytes("foobar"), 50));
        for (int k = 0; k < 1000; k++)
        {
            Assert.InRange(Murmur2.Partition(Encoding.ASCII.GetBytes($"k{k}"), 7), 0, 6);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Partition_RejectsANonPositivePartitionCount(int partitionCount)
    {
        // Goal: a bad count is a clear error, not a DivideByZeroException or a negative partition. Method: 0 and -3.
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(
            () => Murmur2.Partition("abc"u8, partitionCount));
        Assert.Equal("partitionCount", e.ParamName);
    }
}
