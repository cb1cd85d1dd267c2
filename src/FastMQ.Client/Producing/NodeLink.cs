using FastMQ.Client.Wire;

namespace FastMQ.Client.Producing;

/// <summary>The sender's link to one broker node: its connection (replaced after a failure) and reconnect backoff. Sender-owned.</summary>
internal sealed class NodeLink
{
    public NodeLink(int nodeId)
    {
        NodeId = nodeId;
    }

    public int NodeId { get; }

    public WireConnection? Connection;
    public long ReconnectNotBeforeTicks;
    public int ConnectFailures;

    /// <summary>The request being filled for this node in the current drain round.</summary>
    public ProduceInflight? Pending;
}
