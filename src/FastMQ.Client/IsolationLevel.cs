namespace FastMQ.Client;

/// <summary>Which records of transactional producers a consumer may read (<c>isolation.level</c>).</summary>
public enum IsolationLevel
{
    /// <summary>Every record, committed or not (<c>read_uncommitted</c>).</summary>
    ReadUncommitted = 0,

    /// <summary>Only records of committed transactions, up to the last stable offset (<c>read_committed</c>).</summary>
    ReadCommitted = 1,
}
