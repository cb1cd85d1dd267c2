using System;

namespace FastMQ.PerfHarness.Clients;

/// <summary>One producer client as the scenarios drive it, whichever library is underneath (<see cref="ClientFactory"/>).</summary>
internal interface IPerfProducer : IDisposable
{
    /// <summary>
    /// Hands one message to the client (which copies or serialises it before returning, so the arrays may be reused).
    /// False when the client's queue is full: the caller backs off and retries. Completion goes to the sink the producer
    /// was created with.
    /// </summary>
    bool TryProduce(int partition, byte[]? key, byte[] value);

    /// <summary>Waits until every handed message is reported or the timeout passes; returns how many are still pending.</summary>
    int Flush(TimeSpan timeout);
}
