using System;
using FastMQ.Core;
using FastMQ.Network;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using FastMQ.Runtime;
using Microsoft.Extensions.ObjectPool;

namespace FastMQ.Broker.Requests;

/// <summary>
/// One request on its way through the broker: the connection, the frame (still in its receive buffer), and the parsed
/// header. Rented on the connection's receive thread, executed and returned on the connection's shard.
/// </summary>
/// <remarks>
/// Lifecycle: <see cref="BrokerFrameHandler"/> rents and posts it to the connection's shard; the dispatcher parses the
/// header and calls a handler; the handler (possibly after work on other shards, always back on this shard) calls
/// <see cref="Respond"/> or <see cref="RespondNone"/> exactly once, which releases the frame and returns the context.
/// </remarks>
internal sealed class RequestContext : IShardWork
{
    private static readonly DefaultObjectPool<RequestContext> Pool = new(new Policy(), 4096);

    private BrokerContext _broker = null!;

    public IKafkaConnection Connection { get; private set; } = null!;

    public FrameLease Frame { get; private set; }

    public ApiKey ApiKey { get; set; }

    public short ApiVersion { get; set; }

    public int CorrelationId { get; set; }

    /// <summary>Request header size: the body starts here in <see cref="Frame"/>.</summary>
    public int HeaderLength { get; set; }

    /// <summary>The response uses header v1 (flexible) rather than v0.</summary>
    public bool FlexibleResponseHeader { get; set; }

    /// <summary><see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> when the frame was handed to the broker (request latency metric).</summary>
    public long ReceivedTimestamp { get; private set; }

    public ReadOnlySpan<byte> Body => Frame.Span[HeaderLength..];

    public ShardId Shard => new(Connection.ShardIndex);

    /// <summary>Grows each time the context is released to its pool: a holder that saved it can tell whether the request it knew is still unanswered.</summary>
    public int Generation { get; private set; }

    public static RequestContext Rent(BrokerContext broker, IKafkaConnection connection, FrameLease frame)
    {
        RequestContext ctx = Pool.Get();
        ctx._broker = broker;
        ctx.Connection = connection;
        ctx.Frame = frame;
        ctx.ReceivedTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        // Not yet parsed: a request completed before dispatch (closed connection) counts as "unknown", not as the
        // pooled context's previous API.
        ctx.ApiKey = (ApiKey)(-1);
        return ctx;
    }

    public void Execute(Shard shard, in ShardMessage message) => RequestDispatcher.Dispatch(_broker, shard, this);

    /// <summary>Sends <paramref name="frame"/> as this request's response (in order) and frees the request. Connection's shard only.</summary>
    public void Respond(ResponseFrame frame)
    {
        Connection.Complete(Frame.Sequence, frame);
        Release();
    }

    /// <summary>Completes the request without a response (Produce with acks=0).</summary>
    public void RespondNone()
    {
        Connection.Complete(Frame.Sequence, null);
        Release();
    }

    /// <summary>Closes the connection with <paramref name="reason"/> (malformed or unsupported request) and frees the request.</summary>
    public void Fail(string reason)
    {
        Connection.Close(reason);
        Connection.Complete(Frame.Sequence, null);
        Release();
    }

    /// <summary>Writes a response whose body is produced by <paramref name="writeBody"/> into a pooled writer (admin paths).</summary>
    public void RespondWith<TState>(TState state, BodyWriter<TState> writeBody)
    {
        var writer = KafkaWriter.CreatePooled();
        try
        {
            int slot = ResponseHeader.BeginFrame(ref writer, CorrelationId, FlexibleResponseHeader);
            writeBody(ref writer, state, ApiVersion);
            int length = ResponseHeader.EndFrame(ref writer, slot);
            ResponseFrame frame = ResponseFramePool.Rent();
            writer.Written.CopyTo(frame.GetWriteSpan(length));
            frame.Commit(length);
            Respond(frame);
        }
        finally
        {
            writer.Dispose();
        }
    }

    private void Release()
    {
        // Metrics (plain counters of the connection's shard, the thread this runs on): count and latency per API.
        _broker.ShardStates[Connection.ShardIndex].Metrics.CountRequest(ApiKey, ReceivedTimestamp);
        Frame.Release();
        Frame = default;
        Connection = null!;
        Generation++;
        Pool.Return(this);
    }

    private sealed class Policy : IPooledObjectPolicy<RequestContext>
    {
        public RequestContext Create() => new();

        public bool Return(RequestContext obj) => true;
    }
}

/// <summary>Writes a response body at the given version.</summary>
internal delegate void BodyWriter<in TState>(ref KafkaWriter writer, TState state, short version);
