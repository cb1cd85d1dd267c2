namespace FastMQ.Client.Producing;

/// <summary>What a batch keeps per record for its delivery report (the record bytes themselves are in the batch buffer).</summary>
internal struct RecordMeta
{
    public IDeliveryHandler? Handler;
    public object? StateObject;
    public long State;
    public long TimestampMs;
}
