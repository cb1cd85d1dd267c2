using System;
using System.IO;

namespace FastMQ.Protocol.Compression;

/// <summary>
/// A read-only, reusable stream over the start of an array: lets <see cref="System.IO.Compression.GZipStream"/>
/// read a batch's records area without a new <see cref="MemoryStream"/> per batch.
/// </summary>
internal sealed class ArrayReadStream : Stream
{
    private byte[] _array = [];
    private int _length;
    private int _position;

    public void Reset(byte[] array, int length)
    {
        _array = array;
        _length = length;
        _position = 0;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = Math.Min(buffer.Length, _length - _position);
        _array.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override int ReadByte() => _position < _length ? _array[_position++] : -1;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
