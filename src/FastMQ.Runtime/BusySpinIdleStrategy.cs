using System.Threading;

namespace FastMQ.Runtime;

/// <summary>
/// Never sleeps: burns the core for the lowest latency. Only for dedicated, isolated cores; on a shared machine it
/// starves other threads. Stateless, so one instance may serve any number of shards.
/// </summary>
public sealed class BusySpinIdleStrategy : IIdleStrategy
{
    public static readonly BusySpinIdleStrategy Instance = new();

    public void Idle(int workCount)
    {
        if (workCount == 0)
        {
            // PAUSE: lets the sibling hyper-thread run and saves power while we spin.
            Thread.SpinWait(1);
        }
    }

    public void Reset()
    {
    }
}
