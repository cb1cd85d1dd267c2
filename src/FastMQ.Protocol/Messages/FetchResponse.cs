using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// Fetch response (key 1, versions 4-12) as plain objects, for clients, tools and tests. The broker writes responses
/// with the allocation-free <see cref="FetchResponseWriter"/> instead. Partition tagged fields (DivergingEpoch,
/// CurrentLeader, SnapshotId) are skipped on read and not written.
/// </summary>
public sealed class FetchResponse
{
    public const short MinVersion = FetchRequestReader.MinVersion;
    public const short MaxVersion = FetchRequestReader.MaxVersion;
    public const short FirstFlexibleVersion = FetchRequestReader.FirstFlexibleVersion;

    public int ThrottleTimeMs { get; set; }

    /// <summary>v7+.</summary>
    public ErrorCode ErrorCode { get; set; }

    /// <summary>v7+; 0 = no session.</summary>
    public int SessionId { get; set; }

    public List<Topic> Topics { get; } = [];

    public static FetchResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("FetchResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new FetchResponse { ThrottleTimeMs = reader.ReadInt32() };
        if (version >= 7)
        {
            response.ErrorCode = (ErrorCode)reader.ReadInt16();
            response.SessionId = reader.ReadInt32();
        }
        int topics = reader.ReadArrayCount(flexible, flexible ? 3 : 6);
        for (int t = 0; t < topics; t++)
        {
            var topic = new Topic { Name = reader.ReadString(flexible) };
            int partitions = reader.ReadArrayCount(flexible, 30);
            for (int p = 0; p < partitions; p++)
            {
                topic.Partitions.Add(Partition.Read(ref reader, version, flexible));
            }
            if (flexible)
            {
                reader.SkipTaggedFields();
            }
            response.Topics.Add(topic);
        }
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        reader.EnsureEnd("FetchResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("FetchResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteInt32(ThrottleTimeMs);
        if (version >= 7)
        {
            writer.WriteInt16((short)ErrorCode);
            writer.WriteInt32(SessionId);
        }
        writer.WriteArrayCount(Topics.Count, flexible);
        foreach (Topic topic in Topics)
        {
            writer.WriteString(topic.Name, flexible);
            writer.WriteArrayCount(topic.Partitions.Count, flexible);
            foreach (Partition partition in topic.Partitions)
            {
                partition.Write(ref writer, version, flexible);
            }
            writer.WriteEmptyTaggedFields(flexible);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    public sealed class Topic
    {
        public string Name { get; set; } = "";

        public List<Partition> Partitions { get; } = [];
    }

    public sealed class Partition
    {
        public int PartitionIndex { get; set; }

        public ErrorCode ErrorCode { get; set; }

        public long HighWatermark { get; set; }

        public long LastStableOffset { get; set; } = -1;

        /// <summary>v5+.</summary>
        public long LogStartOffset { get; set; } = -1;

        /// <summary>Null writes a null array.</summary>
        public List<AbortedTransaction>? AbortedTransactions { get; set; }

        /// <summary>v11+.</summary>
        public int PreferredReadReplica { get; set; } = -1;

        /// <summary>Raw record batches; null writes null RECORDS.</summary>
        public byte[]? Records { get; set; }

        internal static Partition Read(ref KafkaReader reader, short version, bool flexible)
        {
            var partition = new Partition
            {
                PartitionIndex = reader.ReadInt32(),
                ErrorCode = (ErrorCode)reader.ReadInt16(),
                HighWatermark = reader.ReadInt64(),
                LastStableOffset = reader.ReadInt64(),
            };
            if (version >= 5)
            {
                partition.LogStartOffset = reader.ReadInt64();
            }
            int aborted = reader.ReadNullableArrayCount(flexible, flexible ? 17 : 16);
            if (aborted >= 0)
            {
                partition.AbortedTransactions = MessageIo.NewList<AbortedTransaction>(aborted);
                for (int i = 0; i < aborted; i++)
                {
                    partition.AbortedTransactions.Add(new AbortedTransaction(reader.ReadInt64(), reader.ReadInt64()));
                    if (flexible)
                    {
                        reader.SkipTaggedFields();
                    }
                }
            }
            if (version >= 11)
            {
                partition.PreferredReadReplica = reader.ReadInt32();
            }
            byte[] records = reader.ReadNullableBytes(flexible, out bool isNull).ToArray();
            partition.Records = isNull ? null : records;
            if (flexible)
            {
                reader.SkipTaggedFields();
            }
            return partition;
        }

        internal void Write(ref KafkaWriter writer, short version, bool flexible)
        {
            writer.WriteInt32(PartitionIndex);
            writer.WriteInt16((short)ErrorCode);
            writer.WriteInt64(HighWatermark);
            writer.WriteInt64(LastStableOffset);
            if (version >= 5)
            {
                writer.WriteInt64(LogStartOffset);
            }
            if (AbortedTransactions is null)
            {
                writer.WriteArrayCount(-1, flexible);
            }
            else
            {
                writer.WriteArrayCount(AbortedTransactions.Count, flexible);
                foreach (AbortedTransaction aborted in AbortedTransactions)
                {
                    writer.WriteInt64(aborted.ProducerId);
                    writer.WriteInt64(aborted.FirstOffset);
                    writer.WriteEmptyTaggedFields(flexible);
                }
            }
            if (version >= 11)
            {
                writer.WriteInt32(PreferredReadReplica);
            }
            writer.WriteNullableBytes(Records, Records is null, flexible);
            writer.WriteEmptyTaggedFields(flexible);
        }
    }
}
