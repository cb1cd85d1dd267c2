namespace FastMQ.Cli.Output;

/// <summary>How a command prints its result.</summary>
internal enum OutputFormat
{
    /// <summary>Tables and plain lines for people.</summary>
    Table,

    /// <summary>Exactly one JSON document on stdout, for scripts.</summary>
    Json,
}
