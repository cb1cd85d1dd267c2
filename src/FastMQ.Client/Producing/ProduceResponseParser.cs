using System;
using System.Text;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Client.Producing;

/// <summary>
/// Reads a Produce response (v3–v11) without allocating and stores each partition's outcome on the matching batch of
/// the request. Only an error message from the broker is turned into a string (errors are rare).
/// </summary>
internal static class ProduceResponseParser
{
    public static void Apply(ReadOnlySpan<byte> body, short version, ProduceInflight request)
    {
        bool flexible = version >= ProduceResponse.FirstFlexibleVersion;
        var reader = new KafkaReader(body);
        int topics = reader.ReadArrayCount(flexible, flexible ? 2 : 6);
        for (int t = 0; t < topics; t++)
        {
            ReadOnlySpan<byte> name = reader.ReadStringSpan(flexible);
            int partitions = reader.ReadArrayCount(flexible, 14);
            for (int p = 0; p < partitions; p++)
            {
                int index = reader.ReadInt32();
                var error = (ErrorCode)reader.ReadInt16();
                long baseOffset = reader.ReadInt64();
                if (version >= 2)
                {
                    reader.ReadInt64(); // log append time
                }
                if (version >= 5)
                {
                    reader.ReadInt64(); // log start offset
                }
                string? message = null;
                if (version >= 8)
                {
                    int recordErrors = reader.ReadArrayCount(flexible, 5);
                    for (int i = 0; i < recordErrors; i++)
                    {
                        reader.ReadInt32();
                        reader.ReadNullableStringSpan(flexible, out _);
                        if (flexible)
                        {
                            reader.SkipTaggedFields();
                        }
                    }
                    ReadOnlySpan<byte> text = reader.ReadNullableStringSpan(flexible, out bool isNull);
                    if (error != ErrorCode.None && !isNull)
                    {
                        message = Encoding.UTF8.GetString(text);
                    }
                }
                if (flexible)
                {
                    reader.SkipTaggedFields();
                }
                Record(request, name, index, error, baseOffset, message);
            }
            if (flexible)
            {
                reader.SkipTaggedFields();
            }
        }
    }

    private static void Record(ProduceInflight request, ReadOnlySpan<byte> topic, int index, ErrorCode error, long baseOffset,
        string? message)
    {
        for (int i = 0; i < request.Count; i++)
        {
            ProducerBatch batch = request.Batches[i];
            if (batch.Partition.Index == index && topic.SequenceEqual(batch.Partition.Topic.NameUtf8))
            {
                batch.ResultError = error;
                batch.ResultOffset = baseOffset;
                batch.ResultMessage = message;
                batch.HasResult = true;
                return;
            }
        }
    }
}
