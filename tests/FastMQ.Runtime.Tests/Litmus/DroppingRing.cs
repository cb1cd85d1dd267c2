namespace FastMQ.Runtime.Tests.Litmus;

/// <summary>Known-bad control (fault hook): the real ring, but every <c>dropEvery</c>-th dequeued message vanishes.</summary>
public sealed class DroppingRing(int capacity, int dropEvery) : ILitmusRing
{
    private readonly MpscRing<LitmusMessage> _ring = new(capacity);
    private long _dequeued;

    public long Dropped { get; private set; }

    public bool TryEnqueue(in LitmusMessage message) => _ring.TryEnqueue(in message);

    public bool TryDequeue(out LitmusMessage message)
    {
        while (_ring.TryDequeue(out message))
        {
            if (++_dequeued % dropEvery != 0)
            {
                return true;
            }
            Dropped++;
        }
        return false;
    }
}
