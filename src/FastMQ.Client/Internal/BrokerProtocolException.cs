using System;

namespace FastMQ.Client.Internal;

/// <summary>
/// The broker answered with something the client cannot use: a malformed or mismatched response, a closed
/// connection in answer to a request (what Kafka brokers do for requests they do not serve), or no common version.
/// </summary>
internal sealed class BrokerProtocolException : ClientException
{
    public BrokerProtocolException(string message)
        : base(message)
    {
    }

    public BrokerProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
