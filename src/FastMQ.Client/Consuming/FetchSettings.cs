namespace FastMQ.Client.Consuming;

/// <summary>The Fetch request parameters a consumer's fetchers share (from <see cref="ConsumerConfig"/>).</summary>
internal readonly record struct FetchSettings(int MaxWaitMs, int MinBytes, int MaxBytes, int PartitionMaxBytes, sbyte IsolationLevel);
