namespace FastMQ.PerfHarness.Clients;

/// <summary>
/// Receives a producer's delivery reports. Called on the client's own thread; for each partition, reports arrive in
/// the order the messages were handed to <see cref="IPerfProducer.TryProduce"/> (the harness matches them to send
/// times that way, without a per-message allocation).
/// </summary>
internal interface IDeliverySink
{
    /// <param name="partition">The partition the message was produced to.</param>
    /// <param name="error">Null on success, else the client's error text.</param>
    void OnDelivered(int partition, string? error);
}
