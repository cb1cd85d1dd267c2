using System;
using System.Diagnostics;
using System.Threading;

namespace FastMQ.Runtime.Tests.Support;

public static class Wait
{
    /// <summary>Polls <paramref name="condition"/> until true or the timeout; returns its last value.</summary>
    public static bool Until(Func<bool> condition, int timeoutMs = 10_000)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.ElapsedMilliseconds > timeoutMs)
            {
                return condition();
            }
            Thread.Sleep(1);
        }
        return true;
    }
}
