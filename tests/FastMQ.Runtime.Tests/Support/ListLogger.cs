using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace FastMQ.Runtime.Tests.Support;

/// <summary>Captures log entries from every category so tests can assert what the runtime reported.</summary>
public sealed class ListLogger : ILoggerFactory, ILogger
{
    private readonly List<LogEntry> _entries = [];

    public IReadOnlyList<LogEntry> Snapshot()
    {
        lock (_entries)
        {
            return _entries.ToArray();
        }
    }

    public bool Any(LogLevel level, string textFragment)
    {
        foreach (LogEntry e in Snapshot())
        {
            if (e.Level == level && e.Message.Contains(textFragment, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add(new LogEntry(logLevel, formatter(state, exception), exception));
        }
    }

    public void Dispose()
    {
    }
}

public sealed record LogEntry(LogLevel Level, string Message, Exception? Exception);
