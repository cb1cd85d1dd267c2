using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using FastMQ.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastMQ.Storage;

/// <summary>
/// The partition logs of one shard in a data directory, one subdirectory per partition named
/// <c>&lt;topic&gt;-&lt;partition&gt;</c> (Kafka's layout; topic names cannot contain characters that make this ambiguous
/// because the partition is the text after the last '-').
/// </summary>
/// <remarks>Owned by the shard thread that owns its <see cref="LogIoContext"/>; not thread-safe. Opening and creating logs
/// allocate and do synchronous I/O: startup and admin paths only.</remarks>
public sealed class LogManager : IDisposable
{
    private readonly Dictionary<(string Topic, int Partition), PartitionLog> _logs = [];
    private readonly ILoggerFactory _loggerFactory;

    public LogManager(string dataDirectory, LogIoContext io, PartitionLogOptions defaultOptions, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(defaultOptions);
        DataDirectory = Path.GetFullPath(dataDirectory);
        Io = io;
        DefaultOptions = defaultOptions;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        System.IO.Directory.CreateDirectory(DataDirectory);
    }

    public string DataDirectory { get; }

    public LogIoContext Io { get; }

    public PartitionLogOptions DefaultOptions { get; }

    public int Count => _logs.Count;

    public static string PartitionDirectoryName(string topic, PartitionId partition) =>
        string.Create(CultureInfo.InvariantCulture, $"{topic}-{partition.Value}");

    /// <summary>Splits a partition directory name; false for names that are not <c>&lt;topic&gt;-&lt;non-negative int&gt;</c>.</summary>
    public static bool TryParsePartitionDirectoryName(string name, out string topic, out PartitionId partition)
    {
        topic = string.Empty;
        partition = default;
        int dash = name.LastIndexOf('-');
        if (dash <= 0 || !int.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int p))
        {
            return false;
        }
        topic = name[..dash];
        partition = new PartitionId(p);
        return true;
    }

    /// <summary>
    /// Opens (and recovers) every partition directory found that <paramref name="belongsHere"/> accepts (all when null),
    /// with the default options; returns how many were opened.
    /// </summary>
    public int OpenAll(Func<string, PartitionId, bool>? belongsHere = null)
    {
        int opened = 0;
        foreach (string dir in System.IO.Directory.EnumerateDirectories(DataDirectory))
        {
            if (TryParsePartitionDirectoryName(Path.GetFileName(dir), out string topic, out PartitionId partition)
                && (belongsHere == null || belongsHere(topic, partition))
                && !_logs.ContainsKey((topic, partition.Value)))
            {
                _logs.Add((topic, partition.Value), OpenLog(topic, partition, DefaultOptions));
                opened++;
            }
        }
        return opened;
    }

    public bool TryGet(string topic, PartitionId partition, out PartitionLog log) =>
        _logs.TryGetValue((topic, partition.Value), out log!);

    /// <summary>The open log of the partition, opening or creating its directory when needed.</summary>
    public PartitionLog GetOrCreate(string topic, PartitionId partition, PartitionLogOptions? options = null)
    {
        if (!TryParsePartitionDirectoryName(PartitionDirectoryName(topic, partition), out string t, out _) || t != topic || topic.Contains('/', StringComparison.Ordinal))
        {
            ThrowHelper.ArgumentOutOfRange(nameof(topic), $"'{topic}' cannot name a partition directory");
        }
        if (!_logs.TryGetValue((topic, partition.Value), out PartitionLog? log))
        {
            log = OpenLog(topic, partition, options ?? DefaultOptions);
            _logs.Add((topic, partition.Value), log);
        }
        return log;
    }

    /// <summary>Every open log, for the shard's periodic work (retention).</summary>
    public IEnumerable<PartitionLog> Logs => _logs.Values;

    /// <summary>Closes every log (each flushes and writes its clean-shutdown marker).</summary>
    public void Dispose()
    {
        foreach (PartitionLog log in _logs.Values)
        {
            log.Close();
        }
        _logs.Clear();
    }

    private PartitionLog OpenLog(string topic, PartitionId partition, PartitionLogOptions options)
    {
        string name = PartitionDirectoryName(topic, partition);
        return PartitionLog.Open(Path.Combine(DataDirectory, name), options, Io, _loggerFactory.CreateLogger("FastMQ.Storage." + name));
    }
}
