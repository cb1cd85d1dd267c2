using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FastMQ.Storage.Segments;

/// <summary>
/// Sparse offset index of one segment: (batch base offset − segment base, file position of that batch), one
/// entry at most every <c>IndexIntervalBytes</c>, both fields strictly increasing. A lookup returns the last entry
/// at or below the target; the caller scans batch headers forward from its position (at most one interval plus
/// one batch). No entry means "scan from position 0".
/// </summary>
/// <remarks>
/// Owned by the log's shard thread. Entries live in unmanaged memory sized once for the most entries a segment can
/// need, so appends never allocate; untouched pages of the allocation are never made resident by the kernel, so a
/// large capacity costs address space, not memory. Persisted as a whole when the segment is sealed or the log is
/// closed (<see cref="Serialize"/>); see docs/FORMATS.md.
/// </remarks>
internal sealed unsafe class OffsetIndex : IDisposable
{
    private Entry* _entries;
    private readonly int _capacity;
    private int _count;

    public OffsetIndex(int capacity)
    {
        _capacity = Math.Max(capacity, 1);
        _entries = (Entry*)NativeMemory.Alloc((nuint)_capacity, (nuint)sizeof(Entry));
    }

    public int Count => _count;

    public int Capacity => _capacity;

    /// <summary>Position of the last entry, or 0 (the implicit entry at the segment start).</summary>
    public int LastPosition => _count == 0 ? 0 : _entries[_count - 1].Position;

    public bool TryAppend(int relativeOffset, int position)
    {
        if (_count == _capacity)
        {
            return false;
        }
        Debug.Assert(_count == 0 || (relativeOffset > _entries[_count - 1].RelativeOffset && position > _entries[_count - 1].Position));
        _entries[_count++] = new Entry(relativeOffset, position);
        return true;
    }

    /// <summary>The position of the last entry whose relative offset is ≤ <paramref name="relativeOffset"/>, or 0.</summary>
    public int FloorPosition(long relativeOffset)
    {
        int lo = 0;
        int hi = _count - 1;
        int found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_entries[mid].RelativeOffset <= relativeOffset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found < 0 ? 0 : _entries[found].Position;
    }

    /// <summary>The last entry whose position is ≤ <paramref name="maxPosition"/>; false when there is none.</summary>
    public bool TryFloorByPosition(long maxPosition, out int relativeOffset, out int position)
    {
        int lo = 0;
        int hi = _count - 1;
        int found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_entries[mid].Position <= maxPosition)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        relativeOffset = found < 0 ? 0 : _entries[found].RelativeOffset;
        position = found < 0 ? 0 : _entries[found].Position;
        return found >= 0;
    }

    public void Clear() => _count = 0;

    /// <summary>The entries in file format (big-endian); allocates, so only for seal and close.</summary>
    public byte[] Serialize()
    {
        var bytes = new byte[_count * IndexDescriptor.OffsetEntrySize];
        for (int i = 0; i < _count; i++)
        {
            Span<byte> e = bytes.AsSpan(i * IndexDescriptor.OffsetEntrySize, IndexDescriptor.OffsetEntrySize);
            BinaryPrimitives.WriteInt32BigEndian(e[IndexDescriptor.OffsetEntryRelativeOffsetOffset..], _entries[i].RelativeOffset);
            BinaryPrimitives.WriteInt32BigEndian(e[IndexDescriptor.OffsetEntryPositionOffset..], _entries[i].Position);
        }
        return bytes;
    }

    /// <summary>
    /// Loads a persisted index after checking every entry (a disk read crosses a trust boundary): sizes, strictly
    /// increasing fields, positions inside the segment's data and offsets inside its offset range. Returns null and
    /// a reason when the file is damaged; the caller then rebuilds the index by scanning the segment.
    /// </summary>
    public static OffsetIndex? TryLoad(ReadOnlySpan<byte> bytes, int capacity, long dataBytes, long relativeOffsetLimit, out string? problem)
    {
        problem = null;
        if (bytes.Length % IndexDescriptor.OffsetEntrySize != 0)
        {
            problem = $"length {bytes.Length} is not a multiple of {IndexDescriptor.OffsetEntrySize}";
            return null;
        }
        int count = bytes.Length / IndexDescriptor.OffsetEntrySize;
        var index = new OffsetIndex(Math.Max(capacity, count));
        int prevRel = -1;
        int prevPos = 0;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> e = bytes.Slice(i * IndexDescriptor.OffsetEntrySize, IndexDescriptor.OffsetEntrySize);
            int rel = BinaryPrimitives.ReadInt32BigEndian(e[IndexDescriptor.OffsetEntryRelativeOffsetOffset..]);
            int pos = BinaryPrimitives.ReadInt32BigEndian(e[IndexDescriptor.OffsetEntryPositionOffset..]);
            if (rel <= prevRel || pos <= prevPos || pos >= dataBytes || rel >= relativeOffsetLimit)
            {
                problem = $"entry {i} ({rel}, {pos}) is out of order or outside the segment";
                index.Dispose();
                return null;
            }
            index._entries[index._count++] = new Entry(rel, pos);
            prevRel = rel;
            prevPos = pos;
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

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct Entry(int relativeOffset, int position)
    {
        public readonly int RelativeOffset = relativeOffset;
        public readonly int Position = position;
    }
}
