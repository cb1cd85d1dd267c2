using System;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Tests.Messages;

internal delegate void WriteBody(ref KafkaWriter writer);

internal delegate T ReadBody<out T>(ref KafkaReader reader);

/// <summary>Small helpers to run codecs over byte arrays in tests.</summary>
internal static class Codec
{
    public static byte[] Encode(WriteBody write)
    {
        KafkaWriter writer = KafkaWriter.CreatePooled(256);
        try
        {
            write(ref writer);
            return writer.Written.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }

    public static T Decode<T>(byte[] bytes, ReadBody<T> read)
    {
        var reader = new KafkaReader(bytes);
        return read(ref reader);
    }

    /// <summary>Decodes every strict prefix of <paramref name="bytes"/> and requires each to fail with a protocol error.</summary>
    public static void AssertEveryTruncationRejected<T>(byte[] bytes, ReadBody<T> read)
    {
        for (int cut = 0; cut < bytes.Length; cut++)
        {
            byte[] prefix = bytes.AsSpan(0, cut).ToArray();
            try
            {
                var reader = new KafkaReader(prefix);
                read(ref reader);
            }
            catch (KafkaProtocolException)
            {
                continue;
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"Prefix of {cut}/{bytes.Length} bytes threw {e.GetType().Name}: {e.Message}");
            }
            throw new Xunit.Sdk.XunitException($"Prefix of {cut}/{bytes.Length} bytes decoded without error.");
        }
    }
}
