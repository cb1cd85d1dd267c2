using FastMQ.Protocol.Primitives;

namespace FastMQ.Client.Wire;

/// <summary>
/// A request body written straight into a <see cref="WireConnection"/>'s send buffer. Implemented by structs so that
/// <see cref="WireConnection.Send{TBody}"/> (generic, constrained) neither boxes nor allocates.
/// </summary>
internal interface IRequestBody
{
    /// <summary>An upper bound of the bytes <see cref="Write"/> will write at <paramref name="version"/>; the send buffer is grown to fit it first.</summary>
    int MaxSize(short version);

    /// <summary>Writes the body (everything after the request header) at <paramref name="version"/>.</summary>
    void Write(ref KafkaWriter writer, short version);
}
