using System;
using System.Buffers.Binary;
using FastMQ.Broker.Handlers;
using FastMQ.Network;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using FastMQ.Protocol.Records;
using FastMQ.Runtime;
using Microsoft.Extensions.Logging;

namespace FastMQ.Broker.Requests;

/// <summary>
/// Parses the request header on the connection's shard and hands the request to the handler for its API key
/// (one handler per key, redpanda style). Malformed or unsupported requests close the connection with a logged
/// reason, as Kafka does; ApiVersions answers any version (with the version-0 fallback above its range).
/// </summary>
internal static class RequestDispatcher
{
    /// <summary>
    /// Runs just before a parsed request is routed to its handler. Only in-process fault-injection tests set it (to
    /// make a handler fail); null otherwise, costing one load and test per request.
    /// </summary>
    internal static Action<RequestContext>? BeforeRouteHook { get; set; }

    public static void Dispatch(BrokerContext broker, Shard shard, RequestContext ctx)
    {
        IKafkaConnection connection = ctx.Connection;
        if (connection.IsClosed)
        {
            ctx.RespondNone();
            return;
        }
        try
        {
            // Key and version first (the network layer refuses frames under 8 bytes, so they are always there): a
            // header that fails to parse is then logged with its own API, not with the pooled context's previous one.
            ctx.ApiKey = (ApiKey)BinaryPrimitives.ReadInt16BigEndian(ctx.Frame.Span);
            ctx.ApiVersion = BinaryPrimitives.ReadInt16BigEndian(ctx.Frame.Span[2..]);
            RequestHeader header = RequestHeader.Read(ctx.Frame.Span, broker.Versions);
            ctx.ApiKey = header.ApiKey;
            ctx.ApiVersion = header.ApiVersion;
            ctx.CorrelationId = header.CorrelationId;
            ctx.HeaderLength = header.Length;
            if (header.ApiKey == ApiKey.ApiVersions)
            {
                ApiVersionsHandler.Handle(broker, ctx);
                return;
            }
            if (!header.IsKnownApi)
            {
                ctx.Fail($"unsupported API key {(short)header.ApiKey} (UNSUPPORTED_VERSION); client {header.GetClientIdString()}");
                return;
            }
            if (!broker.Versions.IsServed(header.ApiKey, header.ApiVersion))
            {
                ctx.Fail($"unsupported version {header.ApiVersion} of {header.ApiKey} (UNSUPPORTED_VERSION); client {header.GetClientIdString()}");
                return;
            }
            ctx.FlexibleResponseHeader = ResponseHeader.IsFlexible(header.ApiKey, header.ApiVersion, broker.Versions);
            BeforeRouteHook?.Invoke(ctx);
            Route(broker, shard, ctx);
        }
        catch (Exception e) when (e is KafkaProtocolException or CorruptRecordException)
        {
            broker.Logger.LogWarning("Connection {Id} from {Remote}: malformed {Api} v{Version} request: {Message}",
                ctx.Connection.Id, ctx.Connection.RemoteEndPoint, ctx.ApiKey, ctx.ApiVersion, e.Message);
            ctx.Fail($"malformed request: {e.Message}");
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InsufficientExecutionStackException))
        {
            // A handler failed unexpectedly (a FastMQ bug). Its request will never be answered, and responses leave in
            // request order, so every later response on this connection would wait behind it: close the connection
            // (the client reconnects and retries, as after any broken connection) and keep the shard serving. The
            // request's frame and context are not released here, since the handler may have released them before
            // throwing; the pools make up for the loss.
            broker.Logger.LogError(e, "Connection {Id} from {Remote}: internal error handling {Api} v{Version}; closing the connection",
                connection.Id, connection.RemoteEndPoint, ctx.ApiKey, ctx.ApiVersion);
            connection.Close($"internal error handling the request: {e.GetType().Name}: {e.Message}");
        }
    }

    private static void Route(BrokerContext broker, Shard shard, RequestContext ctx)
    {
        switch (ctx.ApiKey)
        {
            case ApiKey.Produce:
                ProduceHandler.Handle(broker, shard, ctx);
                break;
            case ApiKey.Fetch:
                FetchHandler.Handle(broker, shard, ctx);
                break;
            case ApiKey.ListOffsets:
                ListOffsetsHandler.Handle(broker, shard, ctx);
                break;
            case ApiKey.Metadata:
                MetadataHandler.Handle(broker, shard, ctx);
                break;
            case var key when GroupHandlers.IsGroupApi(key):
                GroupHandlers.Handle(broker, shard, ctx);
                break;
            default:
                AdminHandlers.Handle(broker, shard, ctx);
                break;
        }
    }
}
