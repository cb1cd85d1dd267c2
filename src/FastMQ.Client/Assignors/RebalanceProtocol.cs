namespace FastMQ.Client.Assignors;

/// <summary>How a group moves partitions between members in a rebalance (KIP-429).</summary>
internal enum RebalanceProtocol
{
    /// <summary>Every member revokes everything before rejoining; the new assignment replaces the old.</summary>
    Eager,

    /// <summary>
    /// Members keep what they own across the rebalance; a partition changing owner is first only revoked (the old
    /// owner rejoins at once) and assigned to its new owner in the following rebalance.
    /// </summary>
    Cooperative,
}
