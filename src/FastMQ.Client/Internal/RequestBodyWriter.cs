using FastMQ.Protocol.Primitives;

namespace FastMQ.Client.Internal;

/// <summary>Writes a request body (after the header) at the negotiated version; matches the codecs' <c>Write</c> methods.</summary>
internal delegate void RequestBodyWriter(ref KafkaWriter writer, short version);
