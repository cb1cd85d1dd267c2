using System.Collections.Generic;
using System.Text;

namespace FastMQ.Protocol.Tests.Capture;

/// <summary>One record as the test produces it: what decoding any batch of the fixture must give back.</summary>
internal sealed record ExpectedRecord(long TimestampMs, byte[]? Key, byte[]? Value, IReadOnlyList<(string Key, byte[]? Value)> Headers);

/// <summary>
/// The five records of every golden fixture: a null key, an empty key, a null value (tombstone), headers with
/// empty and null values, out-of-order timestamps. Values are long and repetitive so that every codec shrinks
/// them (librdkafka sends a batch uncompressed when compression does not help).
/// </summary>
internal static class FixtureMessages
{
    public const string Topic = "fastmq-fixtures";

    public const long BaseTimestampMs = 1_700_000_000_000;

    public static IReadOnlyList<ExpectedRecord> All { get; } =
    [
        new(BaseTimestampMs, Utf8("key-0"), Text(0, 3), []),
        new(BaseTimestampMs + 5, null, Text(1, 2), [("trace-id", Utf8("4bf92f3577b34da6")), ("empty", [])]),
        new(BaseTimestampMs + 3, Utf8("key-2"), null, []),
        new(BaseTimestampMs + 10, [], Text(3, 4), [("null-value", null)]),
        new(BaseTimestampMs + 10, Utf8("key-4"), Text(4, 5), [("a", Utf8("1")), ("b", Utf8("2")), ("a", Utf8("3"))]),
    ];

    public static long MaxTimestampMs => BaseTimestampMs + 10;

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[] Text(int index, int repeats)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < repeats; i++)
        {
            sb.Append("FastMQ fixture record ").Append(index).Append(": the quick brown fox jumps over the lazy dog. ");
        }
        return Utf8(sb.ToString());
    }
}
