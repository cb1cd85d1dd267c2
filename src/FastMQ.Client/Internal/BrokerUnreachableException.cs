using System;

namespace FastMQ.Client.Internal;

/// <summary>
/// No broker could be reached, or one did not answer in time: nothing is known about the request's outcome.
/// </summary>
internal sealed class BrokerUnreachableException : ClientException
{
    public BrokerUnreachableException(string message, bool isTimeout = false)
        : base(message)
    {
        IsTimeout = isTimeout;
    }

    public BrokerUnreachableException(string message, Exception innerException, bool isTimeout = false)
        : base(message, innerException)
    {
        IsTimeout = isTimeout;
    }

    /// <summary>The connection worked but the answer did not come within the request timeout.</summary>
    public bool IsTimeout { get; }
}
