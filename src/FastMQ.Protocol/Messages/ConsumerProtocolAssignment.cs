using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// The assignment a group leader embeds in SyncGroup <c>Assignments[].Assignment</c> for one member (protocol type
/// <c>consumer</c>): INT16 version, then a classic struct. Versions 0-3 share one layout.
/// </summary>
/// <remarks>
/// Opaque to the coordinator, decoded only for display. As with <see cref="ConsumerProtocolSubscription"/>, a version
/// above <see cref="MaxVersion"/> is read with the known layout and later fields are ignored. Every client observed
/// writes version 0 (platformatic with a null <see cref="UserData"/>).
/// </remarks>
public sealed class ConsumerProtocolAssignment
{
    public const short MinVersion = 0;
    public const short MaxVersion = 3;

    /// <summary>The version prefix as read (may exceed <see cref="MaxVersion"/>); informational on write.</summary>
    public short Version { get; set; }

    public List<ConsumerProtocolTopicPartitions> AssignedPartitions { get; } = [];

    public byte[]? UserData { get; set; }

    /// <summary>Decodes a whole assignment byte string; throws <see cref="KafkaProtocolException"/> if malformed.</summary>
    public static ConsumerProtocolAssignment Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new KafkaReader(bytes);
        return Read(ref reader);
    }

    /// <summary>As <see cref="Decode"/>, but returns false for malformed bytes.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out ConsumerProtocolAssignment? assignment)
    {
        try
        {
            assignment = Decode(bytes);
            return true;
        }
        catch (KafkaProtocolException)
        {
            assignment = null;
            return false;
        }
    }

    /// <summary>Reads the version prefix and the struct; the reader must span exactly the assignment bytes.</summary>
    public static ConsumerProtocolAssignment Read(ref KafkaReader reader)
    {
        short version = ConsumerProtocolSubscription.ReadVersion(ref reader, "ConsumerProtocolAssignment");
        var assignment = new ConsumerProtocolAssignment { Version = version };
        int count = reader.ReadArrayCount(flexible: false, 6);
        for (int i = 0; i < count; i++)
        {
            assignment.AssignedPartitions.Add(ConsumerProtocolTopicPartitions.Read(ref reader));
        }
        assignment.UserData = GroupMessageIo.ReadNullableBytesCopy(ref reader, flexible: false);
        if (version <= MaxVersion)
        {
            reader.EnsureEnd("ConsumerProtocolAssignment");
        }
        return assignment;
    }

    /// <summary>Writes the version prefix and the struct at <paramref name="version"/> (0-3).</summary>
    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("ConsumerProtocolAssignment", version, MinVersion, MaxVersion);
        writer.WriteInt16(version);
        writer.WriteArrayCount(AssignedPartitions.Count, flexible: false);
        foreach (ConsumerProtocolTopicPartitions assigned in AssignedPartitions)
        {
            assigned.Write(ref writer);
        }
        GroupMessageIo.WriteNullableBytes(ref writer, UserData, flexible: false);
    }

    /// <summary>The assignment byte string at <paramref name="version"/>.</summary>
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
}
