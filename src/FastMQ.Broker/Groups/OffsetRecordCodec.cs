using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace FastMQ.Broker.Groups;

/// <summary>
/// Record layout of __consumer_offsets (big-endian, strings as int16 length + UTF-8, -1 = null). Keep in sync with
/// src/FastMQ.Broker/Groups/README.md.
/// <code>
/// key   (version 1, offset commit): int16 1 | string group | string topic | int32 partition
/// value (version 1):                int16 1 | int64 offset | int32 leaderEpoch | string? metadata | int64 commitTimestampMs
/// value null                        = tombstone: the commit was deleted (DeleteGroups, OffsetDelete, expiry)
/// </code>
/// Other key versions are reserved (Kafka uses 2 for group metadata); replay skips them.
/// </summary>
internal static class OffsetRecordCodec
{
    public const short OffsetKeyVersion = 1;
    public const short OffsetValueVersion = 1;

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

    /// <summary>Decodes an offset-commit key; false for other key versions. Malformed keys throw <see cref="InvalidDataException"/>.</summary>
    public static bool TryDecodeKey(ReadOnlySpan<byte> key, out string group, out OffsetKey offsetKey)
    {
        group = "";
        offsetKey = default;
        if (key.Length < 2)
        {
            throw new InvalidDataException($"__consumer_offsets key of {key.Length} bytes");
        }
        if (BinaryPrimitives.ReadInt16BigEndian(key) != OffsetKeyVersion)
        {
            return false;
        }
        int pos = 2;
        group = ReadString(key, ref pos) ?? throw new InvalidDataException("null group in an offset key");
        string topic = ReadString(key, ref pos) ?? throw new InvalidDataException("null topic in an offset key");
        Need(key, pos, 4);
        offsetKey = new OffsetKey(topic, BinaryPrimitives.ReadInt32BigEndian(key[pos..]));
        return true;
    }

    public static CommittedOffset DecodeValue(ReadOnlySpan<byte> value)
    {
        Need(value, 0, 14);
        short version = BinaryPrimitives.ReadInt16BigEndian(value);
        if (version != OffsetValueVersion)
        {
            throw new InvalidDataException($"unknown offset value version {version}");
        }
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
        if (pos + count > source.Length)
        {
            throw new InvalidDataException($"__consumer_offsets record truncated: needs {pos + count} bytes, has {source.Length}");
        }
    }
}
