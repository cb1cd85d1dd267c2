using FastMQ.Client.Internal;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Client.Wire;

/// <summary>
/// Adapts a protocol codec's <c>Write</c> method (e.g. <c>new JoinGroupRequest{…}.Write</c>) to <see cref="IRequestBody"/>
/// for control-plane requests on a <see cref="WireConnection"/>.
/// </summary>
/// <remarks>Allocates (the delegate, and a sizing pass through a pooled writer): not for per-message paths.</remarks>
internal readonly struct CodecRequestBody(RequestBodyWriter write) : IRequestBody
{
    public int MaxSize(short version)
    {
        var sizer = KafkaWriter.CreatePooled();
        try
        {
            write(ref sizer, version);
            return sizer.Position;
        }
        finally
        {
            sizer.Dispose();
        }
    }

    public void Write(ref KafkaWriter writer, short version) => write(ref writer, version);
}
