using System;

namespace FastMQ.Cli;

/// <summary>Bad user input found while a command runs (for example a line without the key separator): exit code 1.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }
}
