using System;
using System.Buffers;
using FastMQ.Protocol.Records;
using ZstdSharp;

namespace FastMQ.Protocol.Compression;

/// <summary>
/// zstd (codec 4) through ZstdSharp's reusable contexts: no allocation per call once created. Reads frames with or
/// without a content size (librdkafka streams, so its frames have none) and several frames in a row.
/// </summary>
internal sealed class ZstdCodec : IDisposable
{
    /// <summary>Output grows in steps of at least this much when the frame does not say its size.</summary>
    private const int MinOutputStepBytes = 16 * 1024;

    private readonly int _level;
    private Compressor? _compressor;
    private Decompressor? _decompressor;

    public ZstdCodec(int level)
    {
        _level = level;
    }

    public int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        _compressor ??= new Compressor(_level);
        int bound = Compressor.GetCompressBound(source.Length);
        Span<byte> span = destination.GetSpan(bound);
        int n = _compressor.Wrap(source, span[..bound]);
        destination.Advance(n);
        return n;
    }

    public void Decompress(ReadOnlySpan<byte> source, GrowableBuffer destination, int maxBytes)
    {
        _decompressor ??= new Decompressor();
        _decompressor.ResetStream();
        int start = destination.Length;
        int consumed = 0;
        int step = Math.Max(MinOutputStepBytes, source.Length * 4);
        while (true)
        {
            int allowed = maxBytes - (destination.Length - start);
            Span<byte> span = destination.GetSpan(Math.Min(step, allowed + 1));
            span = span[..Math.Min(span.Length, allowed + 1)];
            OperationStatus status;
            int read;
            int written;
            try
            {
                status = _decompressor.UnwrapStream(source[consumed..], span, out read, out written);
            }
            catch (ZstdException e)
            {
                _decompressor.ResetStream();
                CodecErrors.Corrupt(CompressionCodec.Zstd, e.Message, e);
                throw;
            }
            consumed += read;
            destination.Advance(written);
            if (destination.Length - start > maxBytes)
            {
                CodecErrors.TooLarge(CompressionCodec.Zstd, maxBytes);
            }
            switch (status)
            {
                case OperationStatus.Done when consumed == source.Length:
                    return;
                case OperationStatus.Done:
                case OperationStatus.DestinationTooSmall:
                    // Done with input left: another frame follows. Too small: loop; GetSpan grows the buffer.
                    break;
                case OperationStatus.NeedMoreData when consumed == source.Length:
                    CodecErrors.Corrupt(CompressionCodec.Zstd, $"frame is cut off after {consumed} bytes");
                    break;
                case OperationStatus.NeedMoreData:
                    break;
                default:
                    _decompressor.ResetStream();
                    CodecErrors.Corrupt(CompressionCodec.Zstd, $"invalid data at or after byte {consumed}");
                    break;
            }
        }
    }

    public void Dispose()
    {
        _compressor?.Dispose();
        _decompressor?.Dispose();
        _compressor = null;
        _decompressor = null;
    }
}
