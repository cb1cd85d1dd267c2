using System.Threading;
using FastMQ.Client;

namespace FastMQ.Benchmarks.Client;

/// <summary>Counts delivery reports without allocating (one instance serves every record).</summary>
internal sealed class CountingDeliveryHandler : IDeliveryHandler
{
    private long _delivered;
    private long _failed;

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Failed => Interlocked.Read(ref _failed);

    public void OnDelivery(in DeliveryReport report)
    {
        if (report.IsSuccess)
        {
            Interlocked.Increment(ref _delivered);
        }
        else
        {
            Interlocked.Increment(ref _failed);
        }
    }
}
