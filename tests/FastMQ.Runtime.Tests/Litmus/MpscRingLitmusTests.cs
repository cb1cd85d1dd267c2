using Xunit;
using Xunit.Abstractions;

namespace FastMQ.Runtime.Tests.Litmus;

public sealed class MpscRingLitmusTests(ITestOutputHelper output)
{
    private const int Producers = 4;
    private const long PerProducer = 500_000;

    [Fact]
    public void MpscRing_ManyProducers_DeliversEveryMessageOnceInProducerOrder()
    {
        // Goal: the real ring loses, duplicates and reorders nothing under contention. Method: 4 producers × 500k
        // messages through a 1024-slot ring (full most of the time, so slots wrap ~2000 times), checked per producer.
        LitmusResult result = LitmusHarness.Run(new RealRing(1024), Producers, PerProducer, timeoutMs: 20_000);
        output.WriteLine(result.ToString());
        Assert.True(result.Clean, result.ToString());
    }

    [Fact]
    public void MpscRing_TinyRing_ManyProducers_StaysCorrect()
    {
        // Goal: the wrap-around and full paths are right at the smallest size. Method: 4 producers × 25k through 2 slots (every send races for one of two slots).
        LitmusResult result = LitmusHarness.Run(new RealRing(2), Producers, 25_000, timeoutMs: 20_000);
        output.WriteLine(result.ToString());
        Assert.True(result.Clean, result.ToString());
    }

    [Fact]
    public void KnownBad_DroppingConsumer_IsDetectedAsExactLoss()
    {
        // Goal: the harness sees loss. Method: a fault hook drops every 1000th dequeued message; the harness must
        // report exactly those as lost and in-order gaps, and nothing else.
        var ring = new DroppingRing(1024, dropEvery: 1000);
        LitmusResult result = LitmusHarness.Run(ring, Producers, 100_000, timeoutMs: 20_000);
        output.WriteLine(result.ToString());
        Assert.False(result.Clean);
        Assert.Equal(ring.Dropped, result.Lost);
        Assert.Equal(Producers * 100_000 / 1000, result.Lost);
        Assert.Equal(0, result.Duplicates);
        Assert.True(result.OutOfOrder > 0);
    }

    [Fact]
    public void KnownBad_NonAtomicTailClaim_IsDetected()
    {
        // Goal: the harness catches a real race, not just an injected drop. Method: a ring whose producers claim the
        // tail without CAS; run until the harness reports loss, duplication, reordering or a stall (at most 3 rounds).
        LitmusResult? result = null;
        for (int round = 0; round < 3; round++)
        {
            result = LitmusHarness.Run(new BrokenClaimRing(1024), Producers, PerProducer, timeoutMs: 3_000, stallMs: 500);
            output.WriteLine($"round {round}: {result}");
            if (!result.Clean)
            {
                break;
            }
        }
        Assert.False(result!.Clean, "the litmus harness failed to notice a non-atomic tail claim");
    }
}
