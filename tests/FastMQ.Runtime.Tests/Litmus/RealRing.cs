namespace FastMQ.Runtime.Tests.Litmus;

/// <summary>The production <see cref="MpscRing{T}"/>.</summary>
public sealed class RealRing(int capacity) : ILitmusRing
{
    private readonly MpscRing<LitmusMessage> _ring = new(capacity);

    public bool TryEnqueue(in LitmusMessage message) => _ring.TryEnqueue(in message);

    public bool TryDequeue(out LitmusMessage message) => _ring.TryDequeue(out message);
}
