namespace FastMQ.Client;

/// <summary>Outcome of <see cref="Producer.TryProduce"/>.</summary>
public enum ProduceStatus
{
    /// <summary>The record is in a batch; its delivery report will follow.</summary>
    Enqueued = 0,

    /// <summary><c>buffer.memory</c> is used up: nothing was enqueued; retry after deliveries free memory (or use Produce, which waits).</summary>
    Full = 1,
}
