using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>Version checks shared by the codecs.</summary>
internal static class MessageVersion
{
    public static void Check(string message, short version, short min, short max)
    {
        if (version < min || version > max)
        {
            KafkaThrow.UnsupportedVersion(message, version, min, max);
        }
    }
}
