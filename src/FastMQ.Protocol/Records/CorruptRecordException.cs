using System;

namespace FastMQ.Protocol.Records;

/// <summary>
/// A batch's records area (or its compressed form) is malformed: a length runs past its bounds, a count does not
/// match, or a codec rejected the data. The broker answers such a produce with CORRUPT_MESSAGE (2).
/// </summary>
public sealed class CorruptRecordException : FormatException
{
    public CorruptRecordException()
    {
    }

    public CorruptRecordException(string message)
        : base(message)
    {
    }

    public CorruptRecordException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
