using System;
using FastMQ.Protocol.Messages;

namespace FastMQ.Client.Wire;

/// <summary>
/// Receives the outcome of requests sent with <see cref="WireConnection.Send{TBody}"/>. Exactly one of the two methods
/// is called per registered request.
/// </summary>
/// <remarks>
/// Both run on the connection's receive thread (or, for <see cref="OnFailure"/>, on whichever thread noticed the
/// failure, possibly the sender inside <see cref="WireConnection.Send{TBody}"/>). They must be quick and must not call
/// <see cref="WireConnection.Send{TBody}"/> on the same connection (the sender may be blocked waiting for room).
/// </remarks>
internal interface IResponseSink
{
    /// <summary>
    /// A response arrived. <paramref name="frame"/> holds the whole response frame (without the 4-byte size); the sink
    /// owns the lease and must call <see cref="PooledFrame.Release"/> exactly once, now or later.
    /// <paramref name="bodyOffset"/> is the first byte after the response header.
    /// </summary>
    void OnResponse(int correlationId, ApiKey apiKey, short version, PooledFrame frame, int bodyOffset, long state);

    /// <summary>The connection failed or timed out before the response arrived; called oldest request first.</summary>
    void OnFailure(int correlationId, Exception error, long state);
}
