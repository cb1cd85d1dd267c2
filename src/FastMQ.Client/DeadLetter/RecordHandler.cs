namespace FastMQ.Client.DeadLetter;

/// <summary>Processes one record; throwing means "failed" (the record is retried, then dead-lettered).</summary>
/// <param name="record">The record; valid only during the call.</param>
public delegate void RecordHandler(ConsumeRecord record);
