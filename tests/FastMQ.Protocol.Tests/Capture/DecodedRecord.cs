using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using FastMQ.Protocol.Compression;
using FastMQ.Protocol.Records;
using Xunit;
using Record = FastMQ.Protocol.Records.Record;

namespace FastMQ.Protocol.Tests.Capture;

/// <summary>A record copied out of a <see cref="Record"/> view, for comparisons in tests.</summary>
internal sealed record DecodedRecord(
    int OffsetDelta, long TimestampMs, byte Attributes, byte[]? Key, byte[]? Value, IReadOnlyList<(string Key, byte[]? Value)> Headers)
{
    /// <summary>Decodes every record of <paramref name="batch"/> with FastMQ's reader.</summary>
    public static List<DecodedRecord> DecodeAll(ReadOnlySpan<byte> batch)
    {
        using var decompressor = new RecordDecompressor();
        var reader = new RecordBatchReader(batch, decompressor);
        var result = new List<DecodedRecord>();
        foreach (Record record in reader)
        {
            var headers = new List<(string, byte[]?)>();
            foreach (RecordHeader header in record.Headers)
            {
                headers.Add((Encoding.UTF8.GetString(header.Key), header.IsValueNull ? null : header.Value.ToArray()));
            }
            Assert.Equal(record.HeaderCount, headers.Count);
            result.Add(new DecodedRecord(
                record.OffsetDelta,
                reader.TimestampOf(record),
                record.Attributes,
                record.IsKeyNull ? null : record.Key.ToArray(),
                record.IsValueNull ? null : record.Value.ToArray(),
                headers));
        }
        return result;
    }

    /// <summary>Asserts that <paramref name="actual"/> holds exactly <paramref name="expected"/>, in order, null/empty kept apart.</summary>
    public static void AssertMatches(IReadOnlyList<ExpectedRecord> expected, IReadOnlyList<DecodedRecord> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            ExpectedRecord e = expected[i];
            DecodedRecord a = actual[i];
            Assert.Equal(i, a.OffsetDelta);
            Assert.Equal(e.TimestampMs, a.TimestampMs);
            Assert.Equal(0, a.Attributes);
            AssertBytes(e.Key, a.Key, $"record {i} key");
            AssertBytes(e.Value, a.Value, $"record {i} value");
            Assert.Equal(e.Headers.Count, a.Headers.Count);
            for (int h = 0; h < e.Headers.Count; h++)
            {
                Assert.Equal(e.Headers[h].Key, a.Headers[h].Key);
                AssertBytes(e.Headers[h].Value, a.Headers[h].Value, $"record {i} header {h}");
            }
        }
    }

    /// <summary>Asserts two decoded lists are equal record by record (timestamps included).</summary>
    public static void AssertSame(IReadOnlyList<DecodedRecord> expected, IReadOnlyList<DecodedRecord> actual, bool compareTimestamps)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].OffsetDelta, actual[i].OffsetDelta);
            if (compareTimestamps)
            {
                Assert.Equal(expected[i].TimestampMs, actual[i].TimestampMs);
            }
            AssertBytes(expected[i].Key, actual[i].Key, $"record {i} key");
            AssertBytes(expected[i].Value, actual[i].Value, $"record {i} value");
            Assert.Equal(expected[i].Headers.Select(h => h.Key), actual[i].Headers.Select(h => h.Key));
            for (int h = 0; h < expected[i].Headers.Count; h++)
            {
                AssertBytes(expected[i].Headers[h].Value, actual[i].Headers[h].Value, $"record {i} header {h}");
            }
        }
    }

    private static void AssertBytes(byte[]? expected, byte[]? actual, string what)
    {
        if (expected is null)
        {
            Assert.True(actual is null, $"{what}: expected null, got {actual?.Length} bytes");
            return;
        }
        Assert.True(actual is not null, $"{what}: expected {expected.Length} bytes, got null");
        Assert.Equal(expected, actual);
    }
}
