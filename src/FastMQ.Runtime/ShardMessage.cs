using System;
using FastMQ.Core;

namespace FastMQ.Runtime;

/// <summary>
/// The fixed-size message carried by shard mailboxes: which work to run plus a few scalar arguments. Copied by value
/// into a ring slot (48 bytes with the slot's sequence), so sending never allocates as long as <see cref="Work"/> is
/// a long-lived or pooled object.
/// </summary>
/// <remarks>
/// The meaning of <see cref="Kind"/> and the arguments belongs to the <see cref="IShardWork"/> implementation; a typical
/// use is "run this for partition <c>Arg0</c>, then post the result back to <see cref="ReplyTo"/>".
/// </remarks>
public readonly struct ShardMessage
{
    /// <summary>No reply expected (the sender is not a shard, or does not want one).</summary>
    public static readonly ShardId NoReply = new(-1);

    public ShardMessage(IShardWork work, int kind = 0, long arg0 = 0, long arg1 = 0, long arg2 = 0)
        : this(work, kind, NoReply, arg0, arg1, arg2)
    {
    }

    public ShardMessage(IShardWork work, int kind, ShardId replyTo, long arg0 = 0, long arg1 = 0, long arg2 = 0)
    {
        ArgumentNullException.ThrowIfNull(work);
        Work = work;
        Kind = kind;
        ReplyTo = replyTo;
        Arg0 = arg0;
        Arg1 = arg1;
        Arg2 = arg2;
    }

    /// <summary>What runs on the target shard; null only in <c>default(ShardMessage)</c>, which cannot be sent.</summary>
    public IShardWork Work { get; }

    /// <summary>A discriminator owned by <see cref="Work"/> (request vs reply, operation code, ...).</summary>
    public int Kind { get; }

    /// <summary>The shard to answer, or <see cref="NoReply"/>.</summary>
    public ShardId ReplyTo { get; }

    public long Arg0 { get; }

    public long Arg1 { get; }

    public long Arg2 { get; }
}
