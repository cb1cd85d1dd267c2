using System;

namespace FastMQ.Protocol.Records;

/// <summary>
/// Walks a record's headers. The bytes were bounds-checked when the record was read, so a failure here means the
/// memory changed underneath the view; it still throws <see cref="CorruptRecordException"/> rather than misread.
/// </summary>
public ref struct RecordHeaderEnumerator
{
    private readonly ReadOnlySpan<byte> _bytes;
    private readonly int _count;
    private int _index;
    private int _position;
    private RecordHeader _current;

    internal RecordHeaderEnumerator(ReadOnlySpan<byte> bytes, int count)
    {
        _bytes = bytes;
        _count = count;
        _index = 0;
        _position = 0;
        _current = default;
    }

    public readonly int Count => _count;

    public readonly RecordHeader Current => _current;

    public readonly RecordHeaderEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_index >= _count)
        {
            return false;
        }
        _position = RecordParser.ReadHeader(_bytes, _position, out _current);
        _index++;
        return true;
    }
}
