using System.Diagnostics.CodeAnalysis;

namespace FastMQ.Protocol.Records;

/// <summary>Throw helpers for malformed records, kept out of the parsing loops.</summary>
internal static class RecordErrors
{
    [DoesNotReturn]
    public static void Throw(int recordIndex, int position, string detail) =>
        throw new CorruptRecordException($"record {recordIndex} (byte {position} of the records area): {detail}");

    [DoesNotReturn]
    public static void Throw(string detail) => throw new CorruptRecordException(detail);

    /// <summary>Describes a failed <see cref="Primitives.Varint"/> read: -1 bytes means too long, 0 means cut off.</summary>
    public static string VarintProblem(string field, int bytesRead) =>
        bytesRead < 0 ? $"{field} varint is longer than its maximum width" : $"{field} is cut off";
}
