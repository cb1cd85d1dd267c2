using Microsoft.Extensions.ObjectPool;

namespace FastMQ.Network;

/// <summary>
/// Process-wide pool of response frames. Frames are rented on a shard and returned by whichever thread finished
/// sending them; DefaultObjectPool is lock-free, so neither side blocks.
/// </summary>
public static class ResponseFramePool
{
    private static readonly DefaultObjectPool<ResponseFrame> Pool = new(new Policy(), 4096);

    public static ResponseFrame Rent()
    {
        ResponseFrame f = Pool.Get();
        f.Reset();
        return f;
    }

    public static void Return(ResponseFrame frame) => Pool.Return(frame);

    private sealed class Policy : IPooledObjectPolicy<ResponseFrame>
    {
        public ResponseFrame Create() => new();

        public bool Return(ResponseFrame obj) => true;
    }
}
