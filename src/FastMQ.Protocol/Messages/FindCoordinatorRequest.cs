using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// FindCoordinator request (key 10), versions 0-4: one <see cref="Key"/> up to v3, a batch of
/// <see cref="CoordinatorKeys"/> from v4 (KIP-699).
/// </summary>
/// <remarks>Use <see cref="RequestedKeys"/> to handle both forms alike.</remarks>
public sealed class FindCoordinatorRequest
{
    public const short MinVersion = 0;
    public const short MaxVersion = 4;
    public const short FirstFlexibleVersion = 3;

    /// <summary><see cref="KeyType"/> for a consumer group id.</summary>
    public const sbyte GroupKeyType = 0;

    /// <summary><see cref="KeyType"/> for a transactional id.</summary>
    public const sbyte TransactionKeyType = 1;

    /// <summary>The group or transactional id (v0-3).</summary>
    public string Key { get; set; } = "";

    /// <summary>v1+; v0 always asks for a group coordinator.</summary>
    public sbyte KeyType { get; set; } = GroupKeyType;

    /// <summary>v4+.</summary>
    public List<string> CoordinatorKeys { get; } = [];

    /// <summary>The keys asked for, whatever the version: <see cref="Key"/> alone before v4.</summary>
    public IReadOnlyList<string> RequestedKeys(short version) => version >= 4 ? CoordinatorKeys : [Key];

    public static FindCoordinatorRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("FindCoordinatorRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new FindCoordinatorRequest();
        if (version <= 3)
        {
            request.Key = reader.ReadString(flexible);
        }
        if (version >= 1)
        {
            request.KeyType = reader.ReadInt8();
        }
        if (version >= 4)
        {
            request.CoordinatorKeys.AddRange(MessageIo.ReadStringArray(ref reader, flexible));
        }
        GroupMessageIo.SkipTags(ref reader, flexible);
        reader.EnsureEnd("FindCoordinatorRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("FindCoordinatorRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        if (version <= 3)
        {
            writer.WriteString(Key, flexible);
        }
        if (version >= 1)
        {
            writer.WriteInt8(KeyType);
        }
        if (version >= 4)
        {
            MessageIo.WriteStringArray(ref writer, CoordinatorKeys, flexible);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }
}
