using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// Produce response (key 0, versions 0-11) as plain objects, for clients, tools and tests. The broker writes responses
/// with the allocation-free <see cref="ProduceResponseWriter"/> instead.
/// </summary>
public sealed class ProduceResponse
{
    public const short MinVersion = ProduceRequestReader.MinVersion;
    public const short MaxVersion = ProduceRequestReader.MaxVersion;
    public const short FirstFlexibleVersion = ProduceRequestReader.FirstFlexibleVersion;

    public List<Topic> Topics { get; } = [];

    /// <summary>v1+; the last field of the body.</summary>
    public int ThrottleTimeMs { get; set; }

    public static ProduceResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("ProduceResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new ProduceResponse();
        int topics = reader.ReadArrayCount(flexible, flexible ? 2 : 6);
        for (int t = 0; t < topics; t++)
        {
            var topic = new Topic { Name = reader.ReadString(flexible) };
            int partitions = reader.ReadArrayCount(flexible, 14);
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
        if (version >= 1)
        {
            response.ThrottleTimeMs = reader.ReadInt32();
        }
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        reader.EnsureEnd("ProduceResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("ProduceResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
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
        if (version >= 1)
        {
            writer.WriteInt32(ThrottleTimeMs);
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
        public int Index { get; set; }

        public ErrorCode ErrorCode { get; set; }

        public long BaseOffset { get; set; } = -1;

        /// <summary>v2+.</summary>
        public long LogAppendTimeMs { get; set; } = -1;

        /// <summary>v5+.</summary>
        public long LogStartOffset { get; set; } = -1;

        /// <summary>v8+.</summary>
        public List<RecordError> RecordErrors { get; } = [];

        /// <summary>v8+.</summary>
        public string? ErrorMessage { get; set; }

        /// <summary>v10+ tag 0; -1 when absent.</summary>
        public int CurrentLeaderId { get; set; } = -1;

        /// <summary>v10+ tag 0; -1 when absent.</summary>
        public int CurrentLeaderEpoch { get; set; } = -1;

        internal static Partition Read(ref KafkaReader reader, short version, bool flexible)
        {
            var partition = new Partition
            {
                Index = reader.ReadInt32(),
                ErrorCode = (ErrorCode)reader.ReadInt16(),
                BaseOffset = reader.ReadInt64(),
            };
            if (version >= 2)
            {
                partition.LogAppendTimeMs = reader.ReadInt64();
            }
            if (version >= 5)
            {
                partition.LogStartOffset = reader.ReadInt64();
            }
            if (version >= 8)
            {
                int errors = reader.ReadArrayCount(flexible, 5);
                for (int i = 0; i < errors; i++)
                {
                    var error = new RecordError { BatchIndex = reader.ReadInt32(), Message = reader.ReadNullableString(flexible) };
                    if (flexible)
                    {
                        reader.SkipTaggedFields();
                    }
                    partition.RecordErrors.Add(error);
                }
                partition.ErrorMessage = reader.ReadNullableString(flexible);
            }
            if (flexible)
            {
                int tags = reader.ReadTaggedFieldCount();
                for (int i = 0; i < tags; i++)
                {
                    var data = new KafkaReader(reader.ReadTaggedField(out uint tag));
                    if (tag == 0 && version >= 10)
                    {
                        partition.CurrentLeaderId = data.ReadInt32();
                        partition.CurrentLeaderEpoch = data.ReadInt32();
                        data.SkipTaggedFields();
                        data.EnsureEnd("ProduceResponse CurrentLeader tag");
                    }
                }
            }
            return partition;
        }

        internal void Write(ref KafkaWriter writer, short version, bool flexible)
        {
            writer.WriteInt32(Index);
            writer.WriteInt16((short)ErrorCode);
            writer.WriteInt64(BaseOffset);
            if (version >= 2)
            {
                writer.WriteInt64(LogAppendTimeMs);
            }
            if (version >= 5)
            {
                writer.WriteInt64(LogStartOffset);
            }
            if (version >= 8)
            {
                writer.WriteArrayCount(RecordErrors.Count, flexible);
                foreach (RecordError error in RecordErrors)
                {
                    writer.WriteInt32(error.BatchIndex);
                    writer.WriteNullableString(error.Message, flexible);
                    writer.WriteEmptyTaggedFields(flexible);
                }
                writer.WriteNullableString(ErrorMessage, flexible);
            }
            if (!flexible)
            {
                return;
            }
            if (version >= 10 && CurrentLeaderId >= 0)
            {
                writer.WriteUnsignedVarint(1);
                writer.WriteUnsignedVarint(0);
                writer.WriteUnsignedVarint(9);
                writer.WriteInt32(CurrentLeaderId);
                writer.WriteInt32(CurrentLeaderEpoch);
                writer.WriteEmptyTaggedFields(flexible: true);
            }
            else
            {
                writer.WriteEmptyTaggedFields(flexible: true);
            }
        }
    }

    public sealed class RecordError
    {
        public int BatchIndex { get; set; }

        public string? Message { get; set; }
    }
}
