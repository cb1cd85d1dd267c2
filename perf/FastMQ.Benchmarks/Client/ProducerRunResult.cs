namespace FastMQ.Benchmarks.Client;

/// <summary>One client's measured produce run in the comparison.</summary>
internal readonly record struct ProducerRunResult(string Client, long Messages, double Seconds, long AllocatedBytes,
    int Gen0, int Gen1, int Gen2, double ClientCpuSeconds, double BrokerCpuSeconds)
{
    public double MessagesPerSecond => Messages / Seconds;

    public double BytesPerMessage => (double)AllocatedBytes / Messages;
}
