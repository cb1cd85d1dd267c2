namespace FastMQ.Network;

/// <summary>
/// A client connection as the broker sees it, whatever transport carries it (.NET sockets today; an io_uring transport
/// driven by the shard itself is the alternative being measured).
/// </summary>
/// <remarks>
/// <see cref="Complete"/> is called only on the connection's shard thread (<see cref="ShardIndex"/>); responses leave in
/// request order. <see cref="Close"/> may be called from any thread.
/// </remarks>
public interface IKafkaConnection
{
    long Id { get; }

    string RemoteEndPoint { get; }

    /// <summary>The shard that owns the connection, chosen by the frame handler when it connects.</summary>
    int ShardIndex { get; set; }

    bool IsClosed { get; }

    /// <summary>Completes request <paramref name="sequence"/> with a response, or with none (null, e.g. acks=0).</summary>
    void Complete(long sequence, ResponseFrame? response);

    /// <summary>Closes the connection; the reason is logged once.</summary>
    void Close(string reason);
}
