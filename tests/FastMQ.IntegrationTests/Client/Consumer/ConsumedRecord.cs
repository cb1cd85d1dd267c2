using System.Collections.Generic;

namespace FastMQ.IntegrationTests.Client.Consumer;

/// <summary>A copy of a consumed record (tests keep records past the next Consume call).</summary>
internal sealed record ConsumedRecord(string Topic, int Partition, long Offset, long TimestampMs, byte[]? Key, byte[]? Value,
    List<KeyValuePair<string, byte[]?>> Headers);
