using System;
using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>Array helpers shared by the admin (class-based) codecs; these allocate, which is fine off the hot path.</summary>
internal static class MessageIo
{
    /// <summary>Initial list capacity cap: counts come from the peer, so never pre-size beyond this.</summary>
    public const int MaxPresize = 64;

    public static int[] ReadInt32Array(ref KafkaReader reader, bool flexible)
    {
        int count = reader.ReadArrayCount(flexible, 4);
        var values = new int[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = reader.ReadInt32();
        }
        return values;
    }

    public static int[]? ReadNullableInt32Array(ref KafkaReader reader, bool flexible)
    {
        int count = reader.ReadNullableArrayCount(flexible, 4);
        if (count < 0)
        {
            return null;
        }
        var values = new int[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = reader.ReadInt32();
        }
        return values;
    }

    public static void WriteInt32Array(ref KafkaWriter writer, int[]? values, bool flexible)
    {
        if (values is null)
        {
            writer.WriteArrayCount(-1, flexible);
            return;
        }
        writer.WriteArrayCount(values.Length, flexible);
        foreach (int v in values)
        {
            writer.WriteInt32(v);
        }
    }

    public static List<string>? ReadNullableStringArray(ref KafkaReader reader, bool flexible)
    {
        int count = reader.ReadNullableArrayCount(flexible, flexible ? 1 : 2);
        if (count < 0)
        {
            return null;
        }
        var values = new List<string>(Math.Min(count, MaxPresize));
        for (int i = 0; i < count; i++)
        {
            values.Add(reader.ReadString(flexible));
        }
        return values;
    }

    public static List<string> ReadStringArray(ref KafkaReader reader, bool flexible)
    {
        int start = reader.Position;
        List<string>? values = ReadNullableStringArray(ref reader, flexible);
        if (values is null)
        {
            KafkaThrow.UnexpectedNull("string array", start);
        }
        return values;
    }

    public static void WriteStringArray(ref KafkaWriter writer, List<string>? values, bool flexible)
    {
        if (values is null)
        {
            writer.WriteArrayCount(-1, flexible);
            return;
        }
        writer.WriteArrayCount(values.Count, flexible);
        foreach (string v in values)
        {
            writer.WriteString(v, flexible);
        }
    }

    public static List<T> NewList<T>(int count) => new(Math.Min(count, MaxPresize));
}
