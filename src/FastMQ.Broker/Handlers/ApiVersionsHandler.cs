using FastMQ.Broker.Requests;
using FastMQ.Network;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Broker.Handlers;

/// <summary>ApiVersions (18), any version: the advertised table, or the §2.2 version-0 fallback above v3. Allocation-free.</summary>
internal static class ApiVersionsHandler
{
    private const int MaxResponseBytes = 1024;

    public static void Handle(BrokerContext broker, RequestContext ctx)
    {
        ResponseFrame frame = ResponseFramePool.Rent();
        var writer = new KafkaWriter(frame.GetWriteSpan(MaxResponseBytes));
        int length = ApiVersionsResponse.WriteResponse(ref writer, ctx.CorrelationId, ctx.ApiVersion, broker.Versions);
        frame.Commit(length);
        ctx.Respond(frame);
    }
}
