using Xunit;

namespace FastMQ.Core.Tests;

public class OffsetTests
{
    // Goal: offsets order and add like the int64 they wrap, so log positions compare correctly.
    [Fact]
    public void Offset_OrdersAndAddsLikeItsValue()
    {
        var a = new Offset(41);
        Assert.True(a < a + 1);
        Assert.Equal(new Offset(42), a + 1);
        Assert.Equal(-1, a.CompareTo(new Offset(100)));
        Assert.Equal("41", a.ToString());
    }

    // Goal: the monotonic clock never runs backwards.
    [Fact]
    public void SystemClock_IsMonotonic()
    {
        long prev = SystemClock.Instance.MonotonicNs;
        for (int i = 0; i < 1000; i++)
        {
            long now = SystemClock.Instance.MonotonicNs;
            Assert.True(now >= prev);
            prev = now;
        }
        Assert.True(SystemClock.Instance.UnixTimeMs > 1_600_000_000_000);
    }
}
