using Xunit;

namespace FastMQ.Runtime.Tests;

public sealed class BackoffIdleStrategyTests
{
    private sealed class CountingParker : IShardParker
    {
        public int Parks { get; private set; }
        public int LastTimeoutMs { get; private set; }

        public void Park(int maxTimeoutMs)
        {
            Parks++;
            LastTimeoutMs = maxTimeoutMs;
        }
    }

    [Fact]
    public void Idle_SpinsThenYieldsThenParks_AndWorkResets()
    {
        // Goal: the back-off ladder. Method: count parks over idle turns with 3 spins + 2 yields, then a busy turn.
        var parker = new CountingParker();
        var idle = new BackoffIdleStrategy(parker, maxSpins: 3, maxYields: 2, parkMs: 7);
        for (int i = 0; i < 5; i++)
        {
            idle.Idle(0);
        }
        Assert.Equal(0, parker.Parks);
        idle.Idle(0);
        idle.Idle(0);
        Assert.Equal(2, parker.Parks);
        Assert.Equal(7, parker.LastTimeoutMs);
        idle.Idle(1);
        for (int i = 0; i < 5; i++)
        {
            idle.Idle(0);
        }
        Assert.Equal(2, parker.Parks);
        idle.Idle(0);
        Assert.Equal(3, parker.Parks);
        idle.Reset();
        idle.Idle(0);
        Assert.Equal(3, parker.Parks);
    }
}
