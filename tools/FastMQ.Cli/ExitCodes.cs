namespace FastMQ.Cli;

/// <summary>Process exit codes scripts can rely on (documented in README.md; keep the two in sync).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>Bad command line or input: unknown command or option, invalid value, a line without the key separator.</summary>
    public const int Usage = 1;

    /// <summary>The broker answered with a Kafka error (the message names it, e.g. TOPIC_ALREADY_EXISTS) or an unusable response.</summary>
    public const int BrokerError = 2;

    /// <summary>No broker could be reached, or one did not answer within the request timeout.</summary>
    public const int Unreachable = 3;

    /// <summary>An unexpected failure inside fastmq itself (a bug: please report it with the message printed).</summary>
    public const int InternalError = 4;

    /// <summary>Ctrl+C during a command other than produce or consume (those stop cleanly with 0). Shell convention.</summary>
    public const int Interrupted = 130;
}
