using System.Text;
using FastMQ.Protocol.Messages;

namespace FastMQ.Client.Consuming;

/// <summary>
/// The consumer's state for one assigned partition: where the fetchers read next and where the application is.
/// </summary>
/// <remarks>
/// <para>Fields marked "hub lock" are read and written only under <see cref="FetchHub.Sync"/> (fetcher threads, the
/// connection receive threads and the application thread all touch them, at most once per fetch, never per record).
/// Fields marked "app thread" belong to the thread calling <c>Consume</c>.</para>
/// <para><see cref="Epoch"/> orders changes: a seek, pause or revoke bumps it, and fetched data stamped with an older
/// epoch is dropped, so the application never sees records from before a seek.</para>
/// </remarks>
internal sealed class PartitionState
{
    public PartitionState(TopicPartition id)
    {
        Id = id;
        TopicUtf8 = Encoding.UTF8.GetBytes(id.Topic);
    }

    public TopicPartition Id { get; }

    /// <summary>The topic name in UTF-8, compared with response bytes so that responses need no string decoding.</summary>
    public byte[] TopicUtf8 { get; }

    /// <summary>Hub lock: next offset to fetch; -1 while the start offset is unknown (committed lookup or reset pending).</summary>
    public long FetchOffset { get; set; } = -1;

    /// <summary>Hub lock: bumped by seek, pause and revoke; slices of older epochs are dropped.</summary>
    public int Epoch { get; set; }

    /// <summary>Hub lock: paused by the application (not fetched; buffered data dropped).</summary>
    public bool Paused { get; set; }

    /// <summary>Hub lock: no longer assigned; fetchers skip it and drop its data.</summary>
    public bool Revoked { get; set; }

    /// <summary>Hub lock: the broker answered OFFSET_OUT_OF_RANGE for <see cref="FetchOffset"/>; a reset is due.</summary>
    public bool NeedsReset { get; set; }

    /// <summary>Hub lock: the last partition error a fetch reported (NONE when the last fetch went well).</summary>
    public ErrorCode LastError { get; set; }

    /// <summary>Hub lock: the leader's high watermark in the last response.</summary>
    public long HighWatermark { get; set; } = -1;

    /// <summary>Hub lock: node id of the partition's leader (the fetcher that reads it); -1 unknown.</summary>
    public int Leader { get; set; } = -1;

    /// <summary>App thread: the next offset to return (one past the last record returned); -1 before the start is known.</summary>
    public long Position { get; set; } = -1;

    /// <summary>App thread: the last offset committed for it by this consumer (to skip commits that change nothing).</summary>
    public long Committed { get; set; } = -1;
}
