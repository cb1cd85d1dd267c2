namespace FastMQ.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Simulates a crash: lets in-flight operations finish (the kernel still holds the buffer), then drops the log
    /// without flushing the unwritten tail, trimming the file, persisting indexes or writing the clean marker.
    /// </summary>
    internal void TestHookAbandon()
    {
        while (_writeInFlight || _syncInFlight)
        {
            _ = _io.Poll(1);
        }
        _closed = true;
        _io.Unregister(_slot);
        ReleaseResources();
    }

    /// <summary>File position of the first byte held in the tail cache.</summary>
    internal long TestHookBufferStart => _bufferStart;

    /// <summary>Bytes of batches in the active segment.</summary>
    internal long TestHookActiveDataBytes => _active.DataBytes;

    internal string TestHookActiveSegmentPath => _active.LogPath;
}
