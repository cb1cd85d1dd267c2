using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace FastMQ.Broker.Groups;

/// <summary>
/// Record layout of __consumer_offsets (big-endian, strings as int16 length + UTF-8, -1 = null; bytes as int32 length +
/// data). Keep in sync with src/FastMQ.Broker/Groups/README.md.
/// <code>
/// key   (version 1, offset commit): int16 1 | string group | string topic | int32 partition
/// value (version 1):                int16 1 | int64 offset | int32 leaderEpoch | string? metadata | int64 commitTimestampMs
/// value null                        = tombstone: the commit was deleted (DeleteGroups, OffsetDelete, expiry)
///
/// key   (version 2, group metadata): int16 2 | string group
/// value (version 3):                 int16 3 | string protocolType ("" = none) | int32 generation | string? protocolName
///                                    | string? leader | int64 stateTimestampMs | int32 memberCount | member × memberCount
/// member:                            string memberId | string? groupInstanceId | string clientId | string clientHost
///                                    | int32 rebalanceTimeoutMs | int32 sessionTimeoutMs | bytes subscription | bytes assignment
/// value null                         = tombstone: the group was deleted (DeleteGroups, or dropped once empty)
/// </code>
/// The group-metadata fields and their order are Kafka's (GroupMetadataKey v2, GroupMetadataValue v3). Any other key or
/// value version is an <see cref="InvalidDataException"/> naming it: a newer layout this build cannot read.
/// </summary>
internal static class OffsetRecordCodec
{
    public const short OffsetKeyVersion = 1;
    public const short OffsetValueVersion = 1;
    public const short GroupKeyVersion = 2;
    public const short GroupValueVersion = 3;

    public static byte[] EncodeKey(string group, string topic, int partition)
    {
        byte[] key = new byte[2 + StringSize(group) + StringSize(topic) + 4];
        Span<byte> s = key;
        BinaryPrimitives.WriteInt16BigEndian(s, OffsetKeyVersion);
        int pos = 2;
        pos += WriteString(s[pos..], group);
        pos += WriteString(s[pos..], topic);
        BinaryPrimitives.WriteInt32BigEndian(s[pos..], partition);
        return key;
    }

    public static byte[] EncodeValue(in CommittedOffset value)
    {
        byte[] bytes = new byte[2 + 8 + 4 + StringSize(value.Metadata) + 8];
        Span<byte> s = bytes;
        BinaryPrimitives.WriteInt16BigEndian(s, OffsetValueVersion);
        BinaryPrimitives.WriteInt64BigEndian(s[2..], value.Offset);
        BinaryPrimitives.WriteInt32BigEndian(s[10..], value.LeaderEpoch);
        int pos = 14 + WriteString(s[14..], value.Metadata);
        BinaryPrimitives.WriteInt64BigEndian(s[pos..], value.CommitTimestampMs);
        return bytes;
    }

    /// <summary>
    /// Decodes a key: an offset commit fills <paramref name="offsetKey"/>, a group-metadata key only <paramref name="group"/>.
    /// Unknown versions and malformed keys throw <see cref="InvalidDataException"/>.
    /// </summary>
    public static OffsetRecordKind DecodeKey(ReadOnlySpan<byte> key, out string group, out OffsetKey offsetKey)
    {
        offsetKey = default;
        Need(key, 0, 2);
        short version = BinaryPrimitives.ReadInt16BigEndian(key);
        int pos = 2;
        switch (version)
        {
            case OffsetKeyVersion:
                group = ReadString(key, ref pos) ?? throw new InvalidDataException("null group in an offset key");
                string topic = ReadString(key, ref pos) ?? throw new InvalidDataException("null topic in an offset key");
                Need(key, pos, 4);
                offsetKey = new OffsetKey(topic, BinaryPrimitives.ReadInt32BigEndian(key[pos..]));
                return OffsetRecordKind.OffsetCommit;
            case GroupKeyVersion:
                group = ReadString(key, ref pos) ?? throw new InvalidDataException("null group in a group-metadata key");
                return OffsetRecordKind.GroupMetadata;
            default:
                throw new InvalidDataException(
                    $"unknown __consumer_offsets key version {version} (this FastMQ reads {OffsetKeyVersion} = offset commit, {GroupKeyVersion} = group metadata)");
        }
    }

    public static byte[] EncodeGroupKey(string group)
    {
        byte[] key = new byte[2 + StringSize(group)];
        BinaryPrimitives.WriteInt16BigEndian(key, GroupKeyVersion);
        WriteString(key.AsSpan(2), group);
        return key;
    }

    public static byte[] EncodeGroupValue(GroupMetadataRecord value)
    {
        int size = 2 + StringSize(value.ProtocolType ?? "") + 4 + StringSize(value.ProtocolName) + StringSize(value.LeaderId) + 8 + 4;
        foreach (GroupMemberRecord m in value.Members)
        {
            size += StringSize(m.MemberId) + StringSize(m.GroupInstanceId) + StringSize(m.ClientId) + StringSize(m.ClientHost)
                + 4 + 4 + 4 + m.Subscription.Length + 4 + m.Assignment.Length;
        }
        byte[] bytes = new byte[size];
        Span<byte> s = bytes;
        BinaryPrimitives.WriteInt16BigEndian(s, GroupValueVersion);
        int pos = 2;
        pos += WriteString(s[pos..], value.ProtocolType ?? "");
        BinaryPrimitives.WriteInt32BigEndian(s[pos..], value.Generation);
        pos += 4;
        pos += WriteString(s[pos..], value.ProtocolName);
        pos += WriteString(s[pos..], value.LeaderId);
        BinaryPrimitives.WriteInt64BigEndian(s[pos..], value.StateTimestampMs);
        pos += 8;
        BinaryPrimitives.WriteInt32BigEndian(s[pos..], value.Members.Count);
        pos += 4;
        foreach (GroupMemberRecord m in value.Members)
        {
            pos += WriteString(s[pos..], m.MemberId);
            pos += WriteString(s[pos..], m.GroupInstanceId);
            pos += WriteString(s[pos..], m.ClientId);
            pos += WriteString(s[pos..], m.ClientHost);
            BinaryPrimitives.WriteInt32BigEndian(s[pos..], m.RebalanceTimeoutMs);
            BinaryPrimitives.WriteInt32BigEndian(s[(pos + 4)..], m.SessionTimeoutMs);
            pos += 8;
            pos += WriteBytes(s[pos..], m.Subscription);
            pos += WriteBytes(s[pos..], m.Assignment);
        }
        System.Diagnostics.Debug.Assert(pos == size, "group metadata size mismatch");
        return bytes;
    }

    /// <summary>Decodes a group-metadata value. Unknown versions and malformed values throw <see cref="InvalidDataException"/>.</summary>
    public static GroupMetadataRecord DecodeGroupValue(ReadOnlySpan<byte> value)
    {
        Need(value, 0, 2);
        short version = BinaryPrimitives.ReadInt16BigEndian(value);
        if (version != GroupValueVersion)
        {
            throw new InvalidDataException($"unknown group-metadata value version {version} (this FastMQ reads {GroupValueVersion})");
        }
        int pos = 2;
        string protocolType = ReadString(value, ref pos) ?? "";
        Need(value, pos, 4);
        int generation = BinaryPrimitives.ReadInt32BigEndian(value[pos..]);
        pos += 4;
        string? protocolName = ReadString(value, ref pos);
        string? leader = ReadString(value, ref pos);
        Need(value, pos, 12);
        long timestampMs = BinaryPrimitives.ReadInt64BigEndian(value[pos..]);
        int count = BinaryPrimitives.ReadInt32BigEndian(value[(pos + 8)..]);
        pos += 12;
        // Each member takes at least 24 bytes: a bound on the count before anything is allocated for it.
        if (count < 0 || count > (value.Length - pos) / 24)
        {
            throw new InvalidDataException($"group-metadata value with {count} member(s) in {value.Length} bytes");
        }
        var members = new List<GroupMemberRecord>(count);
        for (int i = 0; i < count; i++)
        {
            string memberId = ReadString(value, ref pos) ?? throw new InvalidDataException("null member id in a group-metadata value");
            string? instanceId = ReadString(value, ref pos);
            string clientId = ReadString(value, ref pos) ?? "";
            string clientHost = ReadString(value, ref pos) ?? "";
            Need(value, pos, 8);
            int rebalanceTimeoutMs = BinaryPrimitives.ReadInt32BigEndian(value[pos..]);
            int sessionTimeoutMs = BinaryPrimitives.ReadInt32BigEndian(value[(pos + 4)..]);
            pos += 8;
            byte[] subscription = ReadBytes(value, ref pos);
            byte[] assignment = ReadBytes(value, ref pos);
            members.Add(new GroupMemberRecord(memberId, instanceId, clientId, clientHost, rebalanceTimeoutMs, sessionTimeoutMs, subscription, assignment));
        }
        if (pos != value.Length)
        {
            throw new InvalidDataException($"group-metadata value has {value.Length - pos} trailing byte(s)");
        }
        return new GroupMetadataRecord(protocolType.Length == 0 ? null : protocolType, generation, protocolName, leader, timestampMs, members);
    }

    public static CommittedOffset DecodeValue(ReadOnlySpan<byte> value)
    {
        Need(value, 0, 2);
        short version = BinaryPrimitives.ReadInt16BigEndian(value);
        if (version != OffsetValueVersion)
        {
            throw new InvalidDataException($"unknown offset-commit value version {version} (this FastMQ reads {OffsetValueVersion})");
        }
        Need(value, 0, 14);
        long offset = BinaryPrimitives.ReadInt64BigEndian(value[2..]);
        int epoch = BinaryPrimitives.ReadInt32BigEndian(value[10..]);
        int pos = 14;
        string? metadata = ReadString(value, ref pos);
        Need(value, pos, 8);
        return new CommittedOffset(offset, epoch, metadata, BinaryPrimitives.ReadInt64BigEndian(value[pos..]));
    }

    private static int StringSize(string? s) => 2 + (s is null ? 0 : Encoding.UTF8.GetByteCount(s));

    private static int WriteString(Span<byte> destination, string? s)
    {
        if (s is null)
        {
            BinaryPrimitives.WriteInt16BigEndian(destination, -1);
            return 2;
        }
        int n = Encoding.UTF8.GetBytes(s, destination[2..]);
        if (n > short.MaxValue)
        {
            throw new ArgumentException($"string of {n} bytes is too long for __consumer_offsets");
        }
        BinaryPrimitives.WriteInt16BigEndian(destination, (short)n);
        return 2 + n;
    }

    private static int WriteBytes(Span<byte> destination, byte[] bytes)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, bytes.Length);
        bytes.CopyTo(destination[4..]);
        return 4 + bytes.Length;
    }

    private static byte[] ReadBytes(ReadOnlySpan<byte> source, ref int pos)
    {
        Need(source, pos, 4);
        int n = BinaryPrimitives.ReadInt32BigEndian(source[pos..]);
        pos += 4;
        if (n < 0)
        {
            return [];
        }
        Need(source, pos, n);
        byte[] bytes = source.Slice(pos, n).ToArray();
        pos += n;
        return bytes;
    }

    private static string? ReadString(ReadOnlySpan<byte> source, ref int pos)
    {
        Need(source, pos, 2);
        short n = BinaryPrimitives.ReadInt16BigEndian(source[pos..]);
        pos += 2;
        if (n < 0)
        {
            return null;
        }
        Need(source, pos, n);
        string s = Encoding.UTF8.GetString(source.Slice(pos, n));
        pos += n;
        return s;
    }

    private static void Need(ReadOnlySpan<byte> source, int pos, int count)
    {
        if ((long)pos + count > source.Length)
        {
            throw new InvalidDataException($"__consumer_offsets record truncated: needs {pos + count} bytes, has {source.Length}");
        }
    }
}
