namespace FastMQ.Client;

/// <summary>Receives delivery reports without allocation: one instance can serve every record.</summary>
/// <remarks>
/// Called on the producer's sender thread, in produce order per partition. Keep it short and never block in it: the
/// sender sends nothing else meanwhile. Producing from it is allowed (it never waits for buffer memory there);
/// <see cref="Producer.Flush(System.TimeSpan)"/> from it throws.
/// </remarks>
public interface IDeliveryHandler
{
    /// <summary>Called once per record, when it was acknowledged or finally failed.</summary>
    void OnDelivery(in DeliveryReport report);
}
