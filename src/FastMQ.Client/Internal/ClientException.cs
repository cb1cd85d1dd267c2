using System;

namespace FastMQ.Client.Internal;

/// <summary>Base of the failures the wire client reports; each subtype tells a caller how to react.</summary>
internal abstract class ClientException : Exception
{
    protected ClientException(string message)
        : base(message)
    {
    }

    protected ClientException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
