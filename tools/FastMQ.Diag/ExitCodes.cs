namespace FastMQ.Diag;

/// <summary>Process exit codes of fastmq-diag (documented in README.md; keep the two in sync).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>Bad command line: unknown command or option, invalid value.</summary>
    public const int Usage = 1;

    /// <summary>The target cannot be diagnosed: no such process, not .NET, other user, exited, sent nothing.</summary>
    public const int Target = 2;

    /// <summary>An unexpected failure inside fastmq-diag itself.</summary>
    public const int InternalError = 4;

    /// <summary>Ctrl+C before the command finished. Shell convention.</summary>
    public const int Interrupted = 130;
}
