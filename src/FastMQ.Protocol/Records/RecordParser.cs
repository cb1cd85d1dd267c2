using System;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Records;

/// <summary>
/// Strict field-by-field parsing of one record body (everything after its length prefix). Every length is checked
/// against the bytes left before slicing, so malformed input ends in <see cref="CorruptRecordException"/> with the
/// record index and position, never in an exception from span slicing.
/// </summary>
internal static class RecordParser
{
    /// <summary>attributes, timestampDelta, offsetDelta, keyLength, valueLength, headersCount: one byte each at least.</summary>
    public const int MinBodyBytes = 6;

    /// <summary>Parses a record body. <paramref name="bodyPosition"/> is where it starts in the records area, for messages.</summary>
    public static Record ReadBody(ReadOnlySpan<byte> body, int recordIndex, int bodyPosition, int sizeInBytes)
    {
        byte attributes = body[0];
        int p = 1;
        if (!Varint.TryReadSigned64(body[p..], out long timestampDelta, out int n))
        {
            RecordErrors.Throw(recordIndex, bodyPosition + p, RecordErrors.VarintProblem("timestampDelta", n));
        }
        p += n;
        if (!Varint.TryReadSigned(body[p..], out int offsetDelta, out n))
        {
            RecordErrors.Throw(recordIndex, bodyPosition + p, RecordErrors.VarintProblem("offsetDelta", n));
        }
        p += n;
        p = ReadNullableBytes(body, p, recordIndex, bodyPosition, "key", out ReadOnlySpan<byte> key, out bool isKeyNull);
        p = ReadNullableBytes(body, p, recordIndex, bodyPosition, "value", out ReadOnlySpan<byte> value, out bool isValueNull);
        if (!Varint.TryReadSigned(body[p..], out int headerCount, out n))
        {
            RecordErrors.Throw(recordIndex, bodyPosition + p, RecordErrors.VarintProblem("headersCount", n));
        }
        if (headerCount < 0)
        {
            RecordErrors.Throw(recordIndex, bodyPosition + p, $"negative headers count {headerCount}");
        }
        p += n;
        int headersStart = p;
        for (int i = 0; i < headerCount; i++)
        {
            if (p >= body.Length)
            {
                RecordErrors.Throw(recordIndex, bodyPosition + p, $"record ends after {i} of {headerCount} headers");
            }
            p = ReadHeaderAt(body, p, recordIndex, bodyPosition, out _);
        }
        if (p != body.Length)
        {
            RecordErrors.Throw(
                recordIndex, bodyPosition, $"length prefix says {body.Length} bytes but the fields end after {p}");
        }
        return new Record(
            attributes, timestampDelta, offsetDelta, key, isKeyNull, value, isValueNull,
            headerCount, body[headersStart..], sizeInBytes);
    }

    /// <summary>Reads the header at <paramref name="position"/> of an already validated headers span (used by the enumerator).</summary>
    public static int ReadHeader(ReadOnlySpan<byte> headers, int position, out RecordHeader header) =>
        ReadHeaderAt(headers, position, -1, 0, out header);

    private static int ReadHeaderAt(ReadOnlySpan<byte> body, int p, int recordIndex, int bodyPosition, out RecordHeader header)
    {
        if (!Varint.TryReadSigned(body[p..], out int keyLength, out int n))
        {
            RecordErrors.Throw(recordIndex, bodyPosition + p, RecordErrors.VarintProblem("header key length", n));
        }
        if (keyLength < 0)
        {
            RecordErrors.Throw(recordIndex, bodyPosition + p, $"header key length {keyLength} (header keys cannot be null)");
        }
        p += n;
        if (keyLength > body.Length - p)
        {
            RecordErrors.Throw(
                recordIndex, bodyPosition + p, $"header key of {keyLength} bytes runs past the record end ({body.Length - p} left)");
        }
        ReadOnlySpan<byte> key = body.Slice(p, keyLength);
        p += keyLength;
        p = ReadNullableBytes(body, p, recordIndex, bodyPosition, "header value", out ReadOnlySpan<byte> value, out bool isNull);
        header = new RecordHeader(key, value, isNull);
        return p;
    }

    private static int ReadNullableBytes(
        ReadOnlySpan<byte> body, int p, int recordIndex, int bodyPosition, string field,
        out ReadOnlySpan<byte> bytes, out bool isNull)
    {
        if (!Varint.TryReadSigned(body[p..], out int length, out int n))
        {
            RecordErrors.Throw(recordIndex, bodyPosition + p, RecordErrors.VarintProblem(field + " length", n));
        }
        p += n;
        if (length == -1)
        {
            bytes = default;
            isNull = true;
            return p;
        }
        if (length < -1)
        {
            RecordErrors.Throw(recordIndex, bodyPosition + p - n, $"{field} length {length} is negative");
        }
        if (length > body.Length - p)
        {
            RecordErrors.Throw(
                recordIndex, bodyPosition + p - n, $"{field} of {length} bytes runs past the record end ({body.Length - p} left)");
        }
        bytes = body.Slice(p, length);
        isNull = false;
        return p + length;
    }
}
