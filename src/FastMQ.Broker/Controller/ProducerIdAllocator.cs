using System;
using System.Globalization;
using System.IO;

namespace FastMQ.Broker.Controller;

/// <summary>
/// Hands out producer ids unique for the broker's lifetime, across restarts: ids are reserved in blocks whose upper
/// bound is written and fsynced to a file before any id of the block is used, so a crash only skips ids.
/// </summary>
internal sealed class ProducerIdAllocator(string path) : IDisposable
{
    private const long BlockSize = 1000;
    private readonly object _sync = new();
    private long _next = -1;
    private long _limit = -1;

    public long Next()
    {
        lock (_sync)
        {
            if (_next < 0)
            {
                _next = File.Exists(path) ? long.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture) : 0;
                _limit = _next;
            }
            if (_next >= _limit)
            {
                _limit = _next + BlockSize;
                string tmp = path + ".tmp";
                using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write))
                {
                    stream.Write(System.Text.Encoding.ASCII.GetBytes(_limit.ToString(CultureInfo.InvariantCulture)));
                    stream.Flush(flushToDisk: true);
                }
                File.Move(tmp, path, overwrite: true);
            }
            return _next++;
        }
    }

    public void Dispose()
    {
    }
}
