using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace FastMQ.Storage.Tests.Support;

/// <summary>Keeps every log entry so tests can assert what recovery reported.</summary>
internal sealed class CapturingLogger : ILogger
{
    public List<(LogLevel Level, int EventId, string Message)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Add((logLevel, eventId.Id, formatter(state, exception)));
}
