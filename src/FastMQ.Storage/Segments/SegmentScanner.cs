using System;
using System.Buffers.Binary;
using FastMQ.Core;
using FastMQ.Memory;
using FastMQ.Protocol.Records;

namespace FastMQ.Storage.Segments;

/// <summary>
/// Recovery scan of one segment file: walks batches from position 0 and accepts a batch only if its length is
/// sane, its header and CRC-32C validate (<see cref="RecordBatchValidator"/>) and its base offset continues the
/// previous batch (the segment's base offset for the first). The first batch that fails ends the valid data; zeros
/// there mean the never-written space, anything else is reported as discarded. Every accepted batch is recorded in
/// the segment (indexes rebuilt) and passed to the optional callback.
/// </summary>
/// <remarks>Runs while a log opens, on the opening thread, through the log's write buffer (not yet in use).</remarks>
internal static class SegmentScanner
{
    public static ScanResult Scan(Segment segment, long fileLength, AlignedBuffer buffer, BatchHeaderCallback? callback)
    {
        var window = new Window(segment, fileLength, buffer);
        long pos = 0;
        long expected = segment.BaseOffset.Value;
        int batches = 0;
        while (true)
        {
            long remaining = fileLength - pos;
            if (remaining == 0)
            {
                return Done(segment, window, pos, expected, batches, ScanStop.EndOfFile, "end of file");
            }
            ReadOnlySpan<byte> head = window.Get(pos, (int)Math.Min(remaining, RecordBatchDescriptor.HeaderSize));
            if (head.Length < RecordBatchDescriptor.LogOverhead)
            {
                return Done(segment, window, pos, expected, batches, Stop(head), "incomplete batch header at end of file");
            }
            long baseOffset = BinaryPrimitives.ReadInt64BigEndian(head);
            int batchLength = BinaryPrimitives.ReadInt32BigEndian(head[RecordBatchDescriptor.BatchLengthOffset..]);
            if (baseOffset == 0 && batchLength == 0)
            {
                return Done(segment, window, pos, expected, batches, ScanStop.ZeroSpace, "end of data");
            }
            if (batchLength < RecordBatchDescriptor.HeaderSize - RecordBatchDescriptor.LogOverhead)
            {
                return Done(segment, window, pos, expected, batches, ScanStop.Invalid, $"invalid batch length {batchLength}");
            }
            long size = (long)batchLength + RecordBatchDescriptor.LogOverhead;
            if (size > remaining)
            {
                return Done(segment, window, pos, expected, batches, ScanStop.Invalid, $"torn batch: {size} bytes declared, {remaining} left in the file");
            }
            ReadOnlySpan<byte> batch = window.Get(pos, (int)size);
            BatchValidation validation = RecordBatchValidator.Validate(batch, out _);
            if (validation != BatchValidation.Valid)
            {
                return Done(segment, window, pos, expected, batches, ScanStop.Invalid, $"batch failed validation: {validation}");
            }
            var header = new RecordBatchHeader(batch);
            if (header.BaseOffset != expected)
            {
                return Done(segment, window, pos, expected, batches, ScanStop.Invalid, $"offset discontinuity: expected base offset {expected}, found {header.BaseOffset}");
            }
            callback?.Invoke(header, segment.BaseOffset, pos);
            segment.OnBatchAppended(header.BaseOffset, header.LastOffset, pos, (int)size, header.MaxTimestamp);
            expected = header.LastOffset + 1;
            pos += size;
            batches++;
        }
    }

    private static ScanStop Stop(ReadOnlySpan<byte> tail) => tail.IndexOfAnyExcept((byte)0) < 0 ? ScanStop.ZeroSpace : ScanStop.Invalid;

    private static ScanResult Done(Segment segment, Window window, long pos, long expected, int batches, ScanStop stop, string reason)
    {
        long discarded = stop == ScanStop.EndOfFile ? 0 : window.NonZeroBytesAfter(pos);
        if (stop == ScanStop.ZeroSpace && discarded > 0)
        {
            // Zeros at the batch start but data further on: a torn write landed its later blocks only.
            stop = ScanStop.Invalid;
            reason = "zeros followed by stray bytes (torn write)";
        }
        return new ScanResult(pos, new Offset(expected), batches, stop, reason, discarded);
    }

    /// <summary>A window of the file held in the buffer; reloaded at the requested position when a read falls outside it.</summary>
    private sealed class Window(Segment segment, long fileLength, AlignedBuffer buffer)
    {
        private long _start = -1;
        private int _length;

        public ReadOnlySpan<byte> Get(long pos, int count)
        {
            if (count > buffer.Length)
            {
                // A batch larger than the buffer (the limits were lowered since it was written): read it on its own.
                var big = new byte[count];
                int got = segment.ReadFile.ReadAt(big, pos);
                return big.AsSpan(0, got);
            }
            if (_start < 0 || pos < _start || pos + count > _start + _length)
            {
                _start = pos;
                int want = (int)Math.Min(buffer.Length, fileLength - pos);
                _length = segment.ReadFile.ReadAt(buffer.Slice(0, want), pos);
            }
            int offset = (int)(pos - _start);
            return buffer.Slice(offset, Math.Min(count, _length - offset));
        }

        /// <summary>
        /// Bytes from <paramref name="pos"/> to the last non-zero byte before the first all-zero stretch of one buffer
        /// length. A torn write cannot leave bytes further away (a log has one write in flight and a write is at most
        /// one buffer long), and data cut off after a corrupt batch is contiguous up to the zero space.
        /// </summary>
        public long NonZeroBytesAfter(long pos)
        {
            long lastNonZeroEnd = pos;
            for (long at = pos; at < fileLength; at += buffer.Length)
            {
                ReadOnlySpan<byte> chunk = Get(at, (int)Math.Min(buffer.Length, fileLength - at));
                int last = chunk.LastIndexOfAnyExcept((byte)0);
                if (last < 0)
                {
                    break;
                }
                lastNonZeroEnd = at + last + 1;
            }
            return lastNonZeroEnd - pos;
        }
    }
}
