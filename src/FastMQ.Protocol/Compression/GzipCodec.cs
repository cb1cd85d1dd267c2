using System;
using System.Buffers;
using System.IO;
using System.IO.Compression;
using FastMQ.Protocol.Records;

namespace FastMQ.Protocol.Compression;

/// <summary>
/// gzip (codec 1) through <see cref="GZipStream"/>. The streams it reads and writes are reused, but .NET has no
/// span-based zlib API, so each call still allocates one <see cref="GZipStream"/> with its zlib state (a few hundred
/// bytes of managed objects plus native memory). gzip is the slow codec anyway; the others allocate nothing.
/// </summary>
internal sealed class GzipCodec : IDisposable
{
    private const int ReadChunkBytes = 16 * 1024;

    private readonly ArrayReadStream _input = new();
    private readonly BufferWriterStream _output = new();
    private readonly ZLibCompressionOptions _options;
    private byte[] _inputCopy = [];

    public GzipCodec(int level)
    {
        _options = new ZLibCompressionOptions { CompressionLevel = level };
    }

    public int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        _output.Reset(destination);
        try
        {
            using (var gzip = new GZipStream(_output, _options, leaveOpen: true))
            {
                gzip.Write(source);
            }
            return checked((int)_output.BytesWritten);
        }
        finally
        {
            _output.Reset(null);
        }
    }

    /// <summary>Appends the decompressed bytes to <paramref name="destination"/>; at most <paramref name="maxBytes"/>.</summary>
    public void Decompress(ReadOnlySpan<byte> source, GrowableBuffer destination, int maxBytes)
    {
        // GZipStream reads from a Stream, which cannot hold a span: copy the input once into a reused array.
        if (_inputCopy.Length < source.Length)
        {
            _inputCopy = GC.AllocateUninitializedArray<byte>(Math.Max(source.Length, _inputCopy.Length * 2));
        }
        source.CopyTo(_inputCopy);
        _input.Reset(_inputCopy, source.Length);
        int start = destination.Length;
        try
        {
            using var gzip = new GZipStream(_input, CompressionMode.Decompress, leaveOpen: true);
            while (true)
            {
                int allowed = maxBytes - (destination.Length - start);
                Span<byte> span = destination.GetSpan(Math.Min(ReadChunkBytes, allowed + 1));
                int n = gzip.Read(span[..Math.Min(span.Length, allowed + 1)]);
                if (n == 0)
                {
                    return;
                }
                destination.Advance(n);
                if (destination.Length - start > maxBytes)
                {
                    CodecErrors.TooLarge(CompressionCodec.Gzip, maxBytes);
                }
            }
        }
        catch (InvalidDataException e)
        {
            CodecErrors.Corrupt(CompressionCodec.Gzip, e.Message, e);
        }
        finally
        {
            _input.Reset([], 0);
        }
    }

    public void Dispose()
    {
        _input.Dispose();
        _output.Dispose();
    }
}
