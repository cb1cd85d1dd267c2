namespace FastMQ.Network;

/// <summary>
/// Receives complete request frames from connections. Called on the connection's receive thread (a thread-pool
/// thread); implementations hand the frame to the shard that owns the connection and return at once.
/// </summary>
public interface IFrameHandler
{
    /// <summary>A connection was accepted; pick its shard here.</summary>
    void OnConnected(IKafkaConnection connection);

    /// <summary>A whole frame arrived. The handler owns <paramref name="frame"/> and must release it.</summary>
    void OnFrame(IKafkaConnection connection, FrameLease frame);

    /// <summary>The connection closed (by the peer, an error, or the broker); called once.</summary>
    void OnClosed(IKafkaConnection connection, string reason);
}
