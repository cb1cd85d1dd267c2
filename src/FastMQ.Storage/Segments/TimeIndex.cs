using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FastMQ.Storage.Segments;

/// <summary>
/// Sparse time index of one segment: (largest batch maxTimestamp seen so far, relative offset of the batch that
/// has it), added alongside offset-index entries and only when the timestamp grows, so both fields strictly
/// increase. Invariant used by lookups: every batch up to and including the one at an entry's offset has a
/// maxTimestamp ≤ the entry's timestamp. Sealing appends a final entry, so the last entry holds the segment's
/// largest timestamp and the batch that carries it.
/// </summary>
/// <remarks>Owned by the log's shard thread; unmanaged entries sized once, like <see cref="OffsetIndex"/>.</remarks>
internal sealed unsafe class TimeIndex : IDisposable
{
    private Entry* _entries;
    private readonly int _capacity;
    private int _count;

    public TimeIndex(int capacity)
    {
        _capacity = Math.Max(capacity, 1);
        _entries = (Entry*)NativeMemory.Alloc((nuint)_capacity, (nuint)sizeof(Entry));
    }

    public int Count => _count;

    public long LastTimestamp => _count == 0 ? IndexDescriptor.NoTimestamp : _entries[_count - 1].Timestamp;

    public int LastRelativeOffset => _count == 0 ? -1 : _entries[_count - 1].RelativeOffset;

    /// <summary>Adds an entry if <paramref name="timestamp"/> is larger than the last one (and there is room).</summary>
    public bool TryAppend(long timestamp, int relativeOffset)
    {
        if (_count == _capacity || (_count > 0 && timestamp <= _entries[_count - 1].Timestamp))
        {
            return false;
        }
        Debug.Assert(_count == 0 || relativeOffset > _entries[_count - 1].RelativeOffset);
        _entries[_count++] = new Entry(timestamp, relativeOffset);
        return true;
    }

    /// <summary>
    /// The relative offset of the last entry whose timestamp is strictly below <paramref name="timestamp"/>: every
    /// batch up to it is older than the target, so a forward scan may start there. -1 when there is none.
    /// </summary>
    public int LastRelativeOffsetBefore(long timestamp)
    {
        int lo = 0;
        int hi = _count - 1;
        int found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_entries[mid].Timestamp < timestamp)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found < 0 ? -1 : _entries[found].RelativeOffset;
    }

    public void Clear() => _count = 0;

    public byte[] Serialize()
    {
        var bytes = new byte[_count * IndexDescriptor.TimeEntrySize];
        for (int i = 0; i < _count; i++)
        {
            Span<byte> e = bytes.AsSpan(i * IndexDescriptor.TimeEntrySize, IndexDescriptor.TimeEntrySize);
            BinaryPrimitives.WriteInt64BigEndian(e[IndexDescriptor.TimeEntryTimestampOffset..], _entries[i].Timestamp);
            BinaryPrimitives.WriteInt32BigEndian(e[IndexDescriptor.TimeEntryRelativeOffsetOffset..], _entries[i].RelativeOffset);
        }
        return bytes;
    }

    /// <summary>Loads a persisted time index after checking every entry; null and a reason when damaged.</summary>
    public static TimeIndex? TryLoad(ReadOnlySpan<byte> bytes, int capacity, long relativeOffsetLimit, out string? problem)
    {
        problem = null;
        if (bytes.Length % IndexDescriptor.TimeEntrySize != 0)
        {
            problem = $"length {bytes.Length} is not a multiple of {IndexDescriptor.TimeEntrySize}";
            return null;
        }
        int count = bytes.Length / IndexDescriptor.TimeEntrySize;
        var index = new TimeIndex(Math.Max(capacity, count));
        long prevTs = long.MinValue;
        int prevRel = -1;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> e = bytes.Slice(i * IndexDescriptor.TimeEntrySize, IndexDescriptor.TimeEntrySize);
            long ts = BinaryPrimitives.ReadInt64BigEndian(e[IndexDescriptor.TimeEntryTimestampOffset..]);
            int rel = BinaryPrimitives.ReadInt32BigEndian(e[IndexDescriptor.TimeEntryRelativeOffsetOffset..]);
            if (ts <= prevTs || rel <= prevRel || rel >= relativeOffsetLimit)
            {
                problem = $"entry {i} ({ts}, {rel}) is out of order or outside the segment";
                index.Dispose();
                return null;
            }
            index._entries[index._count++] = new Entry(ts, rel);
            prevTs = ts;
            prevRel = rel;
        }
        return index;
    }

    public void Dispose()
    {
        Entry* p = _entries;
        _entries = null;
        _count = 0;
        if (p != null)
        {
            NativeMemory.Free(p);
        }
    }

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private readonly struct Entry(long timestamp, int relativeOffset)
    {
        public readonly long Timestamp = timestamp;
        public readonly int RelativeOffset = relativeOffset;
    }
}
