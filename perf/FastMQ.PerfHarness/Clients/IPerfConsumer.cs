using System;
using System.Collections.Generic;

namespace FastMQ.PerfHarness.Clients;

/// <summary>One consumer client reading hand-assigned partitions (no consumer group), as the scenarios drive it.</summary>
internal interface IPerfConsumer : IDisposable
{
    /// <summary>Reads <paramref name="partitions"/> of <paramref name="topic"/> from their first offset.</summary>
    void AssignFromBeginning(string topic, IReadOnlyList<int> partitions);

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> for the next message; returns its value length, or -1 when none came.
    /// The first bytes of the value (up to <paramref name="head"/>'s length) are copied into <paramref name="head"/>.
    /// </summary>
    int Consume(int timeoutMs, Span<byte> head);
}
