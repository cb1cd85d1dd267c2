using System;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Records;

/// <summary>
/// Iterates the records of an (uncompressed or already decompressed) records area as <see cref="Record"/> views.
/// Allocates nothing. Usable with <c>foreach</c> or <see cref="TryReadNext"/>.
/// </summary>
/// <remarks>
/// Strict: each record's length prefix must fit in the area and match its fields exactly, the area must hold
/// exactly the batch's recordsCount records and nothing after them. Any violation throws
/// <see cref="CorruptRecordException"/> naming the record and byte position.
/// </remarks>
public ref struct RecordReader
{
    private readonly ReadOnlySpan<byte> _area;
    private readonly int _count;
    private int _index;
    private int _position;
    private Record _current;

    public RecordReader(ReadOnlySpan<byte> recordsArea, int recordsCount)
    {
        if (recordsCount < 0)
        {
            RecordErrors.Throw($"negative records count {recordsCount}");
        }
        _area = recordsArea;
        _count = recordsCount;
        _index = 0;
        _position = 0;
        _current = default;
    }

    /// <summary>Records the batch header announces.</summary>
    public readonly int RecordsCount => _count;

    /// <summary>Records returned so far.</summary>
    public readonly int RecordsRead => _index;

    public readonly Record Current => _current;

    public readonly RecordReader GetEnumerator() => this;

    public bool MoveNext() => TryReadNext(out _current);

    /// <summary>
    /// Reads the next record; returns false once all <see cref="RecordsCount"/> records were read (after checking
    /// that no bytes follow them).
    /// </summary>
    public bool TryReadNext(out Record record)
    {
        if (_index == _count)
        {
            if (_position != _area.Length)
            {
                RecordErrors.Throw(
                    $"{_area.Length - _position} bytes follow the last of the {_count} records (at byte {_position} of the records area)");
            }
            record = default;
            return false;
        }
        if (_position >= _area.Length)
        {
            RecordErrors.Throw($"records area ({_area.Length} bytes) ends after {_index} of {_count} records");
        }
        int start = _position;
        if (!Varint.TryReadSigned(_area[start..], out int length, out int n))
        {
            RecordErrors.Throw(_index, start, RecordErrors.VarintProblem("length", n));
        }
        if (length < RecordParser.MinBodyBytes || length > _area.Length - start - n)
        {
            RecordErrors.Throw(
                _index, start,
                $"length {length} is below {RecordParser.MinBodyBytes} or beyond the records area ({_area.Length - start - n} bytes left)");
        }
        record = RecordParser.ReadBody(_area.Slice(start + n, length), _index, start + n, n + length);
        _position = start + n + length;
        _index++;
        return true;
    }
}
