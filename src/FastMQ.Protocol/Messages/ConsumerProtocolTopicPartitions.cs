using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// One topic and some of its partitions, as embedded in <see cref="ConsumerProtocolSubscription.OwnedPartitions"/> and
/// <see cref="ConsumerProtocolAssignment.AssignedPartitions"/> (classic encoding: STRING, then ARRAY of INT32).
/// </summary>
public sealed class ConsumerProtocolTopicPartitions
{
    public string Topic { get; set; } = "";

    public int[] Partitions { get; set; } = [];

    internal static ConsumerProtocolTopicPartitions Read(ref KafkaReader reader) => new()
    {
        Topic = reader.ReadString(flexible: false),
        Partitions = MessageIo.ReadInt32Array(ref reader, flexible: false),
    };

    internal void Write(ref KafkaWriter writer)
    {
        writer.WriteString(Topic, flexible: false);
        MessageIo.WriteInt32Array(ref writer, Partitions, flexible: false);
    }
}
