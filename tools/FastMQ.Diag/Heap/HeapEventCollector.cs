using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace FastMQ.Diag.Heap;

/// <summary>
/// Reads the events of one heap-snapshot session (see <see cref="HeapSnapshotter"/>): finds the induced gen2 GC,
/// sums the walked objects by type, and keeps that GC's heap statistics. Written by the reader thread, read after
/// <see cref="WaitComplete"/> returns (the lock orders the two).
/// </summary>
internal sealed class HeapEventCollector
{
    private readonly object _gate = new();
    private readonly Dictionary<ulong, string> _typeNames = [];
    private readonly Dictionary<ulong, (long Objects, long Bytes)> _byType = [];
    private readonly long[] _fragmentation = new long[5];
    private int _gcNumber = -1;
    private bool _gcEnded;
    private bool _sawPerHeapHistory;
    private bool _sawHeapStats;
    private long[] _generationSizes = new long[5];
    private long _totalHeap;
    private long _pinned;
    private long _handles;
    private bool _streamEnded;

    public void Read(Stream stream)
    {
        try
        {
            using var source = new EventPipeEventSource(stream);
            source.Clr.GCStart += OnGcStart;
            source.Clr.GCStop += OnGcStop;
            source.Clr.TypeBulkType += OnBulkType;
            source.Clr.GCBulkNode += OnBulkNode;
            source.Clr.GCHeapStats += OnHeapStats;
            source.Clr.GCPerHeapHistory += OnPerHeapHistory;
            _ = source.Process();
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException)
        {
            // The target exited mid-event.
        }
        finally
        {
            lock (_gate)
            {
                _streamEnded = true;
                Monitor.PulseAll(_gate);
            }
        }
    }

    public bool WaitComplete(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (!(_gcEnded && _sawHeapStats))
            {
                TimeSpan left = deadline - DateTime.UtcNow;
                if (_streamEnded || left <= TimeSpan.Zero)
                {
                    return false;
                }
                Monitor.Wait(_gate, left);
            }
            return true;
        }
    }

    public HeapReport Report(int processId, int topTypes)
    {
        lock (_gate)
        {
            string[] names = ["gen0", "gen1", "gen2", "loh", "poh"];
            var generations = new List<HeapGenerationStats>(names.Length);
            for (int i = 0; i < names.Length; i++)
            {
                generations.Add(new HeapGenerationStats(names[i], _generationSizes[i], _sawPerHeapHistory ? _fragmentation[i] : null));
            }
            var types = new List<HeapTypeStats>(_byType.Count);
            long objects = 0;
            long bytes = 0;
            foreach (KeyValuePair<ulong, (long Objects, long Bytes)> entry in _byType)
            {
                string name = _typeNames.TryGetValue(entry.Key, out string? n) && n.Length > 0 ? n : $"type 0x{entry.Key:x}";
                types.Add(new HeapTypeStats(name, entry.Value.Objects, entry.Value.Bytes));
                objects += entry.Value.Objects;
                bytes += entry.Value.Bytes;
            }
            types.Sort((a, b) => b.Bytes.CompareTo(a.Bytes));
            if (types.Count > topTypes)
            {
                types.RemoveRange(topTypes, types.Count - topTypes);
            }
            return new HeapReport(processId, _gcNumber, generations, _totalHeap, _pinned, _handles, objects, bytes, types);
        }
    }

    private bool InInducedGc => _gcNumber >= 0;

    private void OnGcStart(GCStartTraceData data)
    {
        lock (_gate)
        {
            if (!InInducedGc && data.Reason == GCReason.Induced && data.Depth == 2)
            {
                _gcNumber = data.Count;
            }
        }
    }

    private void OnGcStop(GCEndTraceData data)
    {
        lock (_gate)
        {
            if (InInducedGc && data.Count == _gcNumber)
            {
                _gcEnded = true;
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void OnBulkType(GCBulkTypeTraceData data)
    {
        lock (_gate)
        {
            for (int i = 0; i < data.Count; i++)
            {
                GCBulkTypeValues type = data.Values(i);
                _typeNames[type.TypeID] = type.TypeName;
            }
        }
    }

    private void OnBulkNode(GCBulkNodeTraceData data)
    {
        lock (_gate)
        {
            for (int i = 0; i < data.Count; i++)
            {
                GCBulkNodeValues node = data.Values(i);
                _byType.TryGetValue(node.TypeID, out (long Objects, long Bytes) sum);
                _byType[node.TypeID] = (sum.Objects + 1, sum.Bytes + (long)node.Size);
            }
        }
    }

    private void OnHeapStats(GCHeapStatsTraceData data)
    {
        lock (_gate)
        {
            if (!InInducedGc || _sawHeapStats)
            {
                return;
            }
            _sawHeapStats = true;
            _generationSizes = [data.GenerationSize0, data.GenerationSize1, data.GenerationSize2, data.GenerationSize3, data.GenerationSize4];
            _totalHeap = data.TotalHeapSize;
            _pinned = data.PinnedObjectCount;
            _handles = data.GCHandleCount;
            Monitor.PulseAll(_gate);
        }
    }

    private void OnPerHeapHistory(GCPerHeapHistoryTraceData data)
    {
        lock (_gate)
        {
            if (!InInducedGc || _gcEnded)
            {
                return;
            }
            _sawPerHeapHistory = true;
            Gens[] gens = [Gens.Gen0, Gens.Gen1, Gens.Gen2, Gens.GenLargeObj, Gens.GenPinObj];
            // Older runtimes report fewer generations (no POH before .NET 5).
            int reported = Math.Min(gens.Length, data.EntriesInGenData);
            for (int i = 0; i < reported; i++)
            {
                _fragmentation[i] += data.GenData(gens[i]).Fragmentation;
            }
        }
    }
}
