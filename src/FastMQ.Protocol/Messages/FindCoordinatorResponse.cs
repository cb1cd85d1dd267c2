using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// FindCoordinator response (key 10), versions 0-4: one coordinator (top-level fields) up to v3, one
/// <see cref="Coordinator"/> per requested key from v4.
/// </summary>
public sealed class FindCoordinatorResponse
{
    public const short MinVersion = 0;
    public const short MaxVersion = 4;
    public const short FirstFlexibleVersion = 3;

    /// <summary>v1+.</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>v0-3.</summary>
    public ErrorCode ErrorCode { get; set; }

    /// <summary>v1-3.</summary>
    public string? ErrorMessage { get; set; }

    /// <summary>v0-3.</summary>
    public int NodeId { get; set; } = -1;

    /// <summary>v0-3.</summary>
    public string Host { get; set; } = "";

    /// <summary>v0-3.</summary>
    public int Port { get; set; } = -1;

    /// <summary>v4+: one entry per requested key.</summary>
    public List<Coordinator> Coordinators { get; } = [];

    public static FindCoordinatorResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("FindCoordinatorResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new FindCoordinatorResponse();
        if (version >= 1)
        {
            response.ThrottleTimeMs = reader.ReadInt32();
        }
        if (version <= 3)
        {
            response.ErrorCode = (ErrorCode)reader.ReadInt16();
            if (version >= 1)
            {
                response.ErrorMessage = reader.ReadNullableString(flexible);
            }
            response.NodeId = reader.ReadInt32();
            response.Host = reader.ReadString(flexible);
            response.Port = reader.ReadInt32();
        }
        else
        {
            // Key, NodeId, Host, Port, ErrorCode, ErrorMessage, tags: at least 1 + 4 + 1 + 4 + 2 + 1 + 1 bytes.
            int count = reader.ReadArrayCount(flexible, 14);
            for (int i = 0; i < count; i++)
            {
                var coordinator = new Coordinator
                {
                    Key = reader.ReadString(flexible),
                    NodeId = reader.ReadInt32(),
                    Host = reader.ReadString(flexible),
                    Port = reader.ReadInt32(),
                    ErrorCode = (ErrorCode)reader.ReadInt16(),
                    ErrorMessage = reader.ReadNullableString(flexible),
                };
                GroupMessageIo.SkipTags(ref reader, flexible);
                response.Coordinators.Add(coordinator);
            }
        }
        GroupMessageIo.SkipTags(ref reader, flexible);
        reader.EnsureEnd("FindCoordinatorResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("FindCoordinatorResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 1)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }
        if (version <= 3)
        {
            writer.WriteInt16((short)ErrorCode);
            if (version >= 1)
            {
                writer.WriteNullableString(ErrorMessage, flexible);
            }
            writer.WriteInt32(NodeId);
            writer.WriteString(Host, flexible);
            writer.WriteInt32(Port);
        }
        else
        {
            writer.WriteArrayCount(Coordinators.Count, flexible);
            foreach (Coordinator coordinator in Coordinators)
            {
                writer.WriteString(coordinator.Key, flexible);
                writer.WriteInt32(coordinator.NodeId);
                writer.WriteString(coordinator.Host, flexible);
                writer.WriteInt32(coordinator.Port);
                writer.WriteInt16((short)coordinator.ErrorCode);
                writer.WriteNullableString(coordinator.ErrorMessage, flexible);
                writer.WriteEmptyTaggedFields(flexible);
            }
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    public sealed class Coordinator
    {
        public string Key { get; set; } = "";

        public int NodeId { get; set; } = -1;

        public string Host { get; set; } = "";

        public int Port { get; set; } = -1;

        public ErrorCode ErrorCode { get; set; }

        public string? ErrorMessage { get; set; }
    }
}
