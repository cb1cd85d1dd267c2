using FastMQ.Protocol.Primitives;

namespace FastMQ.Client.Internal;

/// <summary>Reads a whole response body (after the header) at the version sent; matches the codecs' static <c>Read</c> methods.</summary>
internal delegate T ResponseBodyReader<out T>(ref KafkaReader reader, short version);
