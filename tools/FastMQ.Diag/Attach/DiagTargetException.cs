using System;

namespace FastMQ.Diag.Attach;

/// <summary>
/// The target process cannot be diagnosed: it does not exist, is not a .NET process with a diagnostics endpoint
/// this user can open, exited during the session, or never sent the events asked for. The message says which.
/// </summary>
public sealed class DiagTargetException : Exception
{
    public DiagTargetException()
    {
    }

    public DiagTargetException(string message)
        : base(message)
    {
    }

    public DiagTargetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
