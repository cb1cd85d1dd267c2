namespace FastMQ.Network;

/// <summary>
/// Puts a connection's responses back in request order: requests complete in any order (a produce waiting for its
/// fsync, a metadata answered at once), and each is released only once every earlier one has been. Holds at most
/// <c>capacity</c> requests, the connection's in-flight limit. Used by both transports.
/// </summary>
/// <remarks>Single-threaded: the connection's shard completes and releases. Allocation-free after construction.</remarks>
internal sealed class ResponseReorderWindow
{
    private readonly ResponseFrame?[] _pending;
    private readonly bool[] _done;
    private long _next;

    /// <param name="capacity">A power of two, at least the connection's in-flight limit.</param>
    public ResponseReorderWindow(int capacity)
    {
        _pending = new ResponseFrame?[capacity];
        _done = new bool[capacity];
    }

    /// <summary>Records request <paramref name="sequence"/>'s response (null = the request has none, e.g. acks=0).</summary>
    public void Complete(long sequence, ResponseFrame? response)
    {
        int mask = _pending.Length - 1;
        if (sequence < _next || sequence >= _next + _pending.Length || _done[sequence & mask])
        {
            Core.ThrowHelper.InvalidOperation($"response for request {sequence} completed twice or out of window");
        }
        _pending[sequence & mask] = response;
        _done[sequence & mask] = true;
    }

    /// <summary>
    /// Takes the next response in request order if it is complete; <paramref name="ready"/> is null for a request
    /// without a response. False when the next request is still being processed.
    /// </summary>
    public bool TryRelease(out ResponseFrame? ready)
    {
        int slot = (int)(_next & (_pending.Length - 1));
        if (!_done[slot])
        {
            ready = null;
            return false;
        }
        ready = _pending[slot];
        _pending[slot] = null;
        _done[slot] = false;
        _next++;
        return true;
    }
}
