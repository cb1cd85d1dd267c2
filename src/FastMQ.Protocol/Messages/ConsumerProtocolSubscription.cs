using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// The subscription a consumer embeds in JoinGroup <c>Protocols[].Metadata</c> (protocol type <c>consumer</c>):
/// INT16 version, then a classic (never flexible) struct. Versions 0-3.
/// </summary>
/// <remarks>
/// <para>The coordinator stores and forwards these bytes unchanged; FastMQ decodes them only to show subscriptions
/// (DescribeGroups, lag tools). Observed versions: librdkafka 2.0.2 and platformatic 1, librdkafka 2.16 3, kafkajs 0.</para>
/// <para>Like Kafka, a version above <see cref="MaxVersion"/> is read with the v3 layout and any fields after it are
/// ignored (newer versions may only append fields); at known versions trailing bytes are an error.
/// <see cref="Version"/> keeps the version found on the wire.</para>
/// </remarks>
public sealed class ConsumerProtocolSubscription
{
    public const short MinVersion = 0;
    public const short MaxVersion = 3;

    /// <summary>The version prefix as read (may exceed <see cref="MaxVersion"/>); informational on write.</summary>
    public short Version { get; set; }

    public List<string> Topics { get; } = [];

    public byte[]? UserData { get; set; }

    /// <summary>v1+: partitions the member owned before this rebalance (cooperative assignors).</summary>
    public List<ConsumerProtocolTopicPartitions> OwnedPartitions { get; } = [];

    /// <summary>v2+; -1 when unknown.</summary>
    public int GenerationId { get; set; } = -1;

    /// <summary>v3+.</summary>
    public string? RackId { get; set; }

    /// <summary>Decodes a whole metadata byte string; throws <see cref="KafkaProtocolException"/> if malformed.</summary>
    public static ConsumerProtocolSubscription Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new KafkaReader(bytes);
        return Read(ref reader);
    }

    /// <summary>As <see cref="Decode"/>, but returns false for malformed bytes (e.g. a non-consumer protocol type).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out ConsumerProtocolSubscription? subscription)
    {
        try
        {
            subscription = Decode(bytes);
            return true;
        }
        catch (KafkaProtocolException)
        {
            subscription = null;
            return false;
        }
    }

    /// <summary>Reads the version prefix and the struct; the reader must span exactly the metadata bytes.</summary>
    public static ConsumerProtocolSubscription Read(ref KafkaReader reader)
    {
        short version = ReadVersion(ref reader, "ConsumerProtocolSubscription");
        var subscription = new ConsumerProtocolSubscription { Version = version };
        subscription.Topics.AddRange(MessageIo.ReadStringArray(ref reader, flexible: false));
        subscription.UserData = GroupMessageIo.ReadNullableBytesCopy(ref reader, flexible: false);
        if (version >= 1)
        {
            int count = reader.ReadArrayCount(flexible: false, 6);
            for (int i = 0; i < count; i++)
            {
                subscription.OwnedPartitions.Add(ConsumerProtocolTopicPartitions.Read(ref reader));
            }
        }
        if (version >= 2)
        {
            subscription.GenerationId = reader.ReadInt32();
        }
        if (version >= 3)
        {
            subscription.RackId = reader.ReadNullableString(flexible: false);
        }
        if (version <= MaxVersion)
        {
            reader.EnsureEnd("ConsumerProtocolSubscription");
        }
        return subscription;
    }

    /// <summary>Writes the version prefix and the struct at <paramref name="version"/> (0-3).</summary>
    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("ConsumerProtocolSubscription", version, MinVersion, MaxVersion);
        writer.WriteInt16(version);
        MessageIo.WriteStringArray(ref writer, Topics, flexible: false);
        GroupMessageIo.WriteNullableBytes(ref writer, UserData, flexible: false);
        if (version >= 1)
        {
            writer.WriteArrayCount(OwnedPartitions.Count, flexible: false);
            foreach (ConsumerProtocolTopicPartitions owned in OwnedPartitions)
            {
                owned.Write(ref writer);
            }
        }
        if (version >= 2)
        {
            writer.WriteInt32(GenerationId);
        }
        if (version >= 3)
        {
            writer.WriteNullableString(RackId, flexible: false);
        }
    }

    /// <summary>The metadata byte string at <paramref name="version"/>.</summary>
    public byte[] Encode(short version)
    {
        KafkaWriter writer = KafkaWriter.CreatePooled(256);
        try
        {
            Write(ref writer, version);
            return writer.Written.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }

    internal static short ReadVersion(ref KafkaReader reader, string what)
    {
        short version = reader.ReadInt16();
        if (version < MinVersion)
        {
            KafkaThrow.Invalid($"{what} version {version} at offset 0 is negative.");
        }
        return version;
    }
}
