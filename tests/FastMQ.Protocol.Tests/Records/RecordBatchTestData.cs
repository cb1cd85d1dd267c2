using System.Collections.Generic;
using FastMQ.Protocol.Records;
using FastMQ.Protocol.Tests.Capture;

namespace FastMQ.Protocol.Tests.Records;

/// <summary>Feeds expected records into a builder.</summary>
internal static class RecordBatchTestData
{
    public static void AppendAll(RecordBatchBuilder builder, IReadOnlyList<ExpectedRecord> records)
    {
        foreach (ExpectedRecord record in records)
        {
            builder.BeginRecord(record.TimestampMs, record.Key, record.Value);
            foreach ((string key, byte[]? value) in record.Headers)
            {
                builder.AddHeader(System.Text.Encoding.UTF8.GetBytes(key), value);
            }
            builder.EndRecord();
        }
    }
}
