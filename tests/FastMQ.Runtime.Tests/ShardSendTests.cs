using System.Collections.Generic;
using System.Threading;
using FastMQ.Core;
using FastMQ.Runtime.Tests.Support;
using Xunit;

namespace FastMQ.Runtime.Tests;

public sealed class ShardSendTests
{
    [Fact]
    public void FullMailbox_TrySendReturnsFalse_SendWaitsThenSucceeds_InOrder()
    {
        // Goal: back-pressure without loss. Method: block the only shard on a gate, fill its 4-slot mailbox, check
        // TrySend refuses, start a blocking Send on another thread and see it still waiting after 200 ms, open the
        // gate, and check every message ran in order.
        using var set = new ShardSet(new ShardSetOptions { ShardCount = 1, PinThreads = false, MailboxCapacity = 4 });
        set.Start();
        using var gate = new ManualResetEventSlim(false);
        using var gateEntered = new ManualResetEventSlim(false);
        var order = new List<long>();
        var record = new ActionWork((_, m) => order.Add(m.Arg0));
        var block = new ActionWork((_, _) =>
        {
            gateEntered.Set();
            gate.Wait();
        });
        var target = new ShardId(0);
        set.Send(target, new ShardMessage(block));
        Assert.True(gateEntered.Wait(10_000));
        for (int i = 0; i < 4; i++)
        {
            Assert.True(set.TrySend(target, new ShardMessage(record, 0, i)));
        }
        Assert.False(set.TrySend(target, new ShardMessage(record, 0, 99)));

        int sent = 0;
        var sender = new Thread(() =>
        {
            set.Send(target, new ShardMessage(record, 0, 4));
            Volatile.Write(ref sent, 1);
        });
        sender.Start();
        Thread.Sleep(200);
        Assert.Equal(0, Volatile.Read(ref sent));
        Assert.Equal(1, set[0].BlockedSends);

        gate.Set();
        Assert.True(sender.Join(10_000));
        Assert.Equal(1, Volatile.Read(ref sent));
        set.Stop();
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, order.ToArray());
    }

    [Fact]
    public void ShardsFloodingEachOther_DoNotDeadlock_AndKeepPerSenderOrder()
    {
        // Goal: two shards sending to each other's full mailboxes make progress (outbox) and keep order. Method:
        // 8-slot mailboxes; each shard sends 20 000 numbered messages to the other from one work item, far more than
        // fits; the receiver checks the numbers arrive 0, 1, 2, ... and the outbox was actually used.
        using var set = new ShardSet(new ShardSetOptions { ShardCount = 2, PinThreads = false, MailboxCapacity = 8 });
        set.Start();
        const int PerShard = 20_000;
        long[] next = new long[2];
        long[] errors = new long[2];
        var receive = new ActionWork((shard, m) =>
        {
            int me = shard.Id.Value;
            if (m.Arg0 != next[me])
            {
                errors[me]++;
            }
            next[me] = m.Arg0 + 1;
        });
        var flood = new ActionWork((shard, _) =>
        {
            var other = new ShardId(1 - shard.Id.Value);
            for (int i = 0; i < PerShard; i++)
            {
                set.Send(other, new ShardMessage(receive, 0, i));
            }
        });
        set.Send(new ShardId(0), new ShardMessage(flood));
        set.Send(new ShardId(1), new ShardMessage(flood));
        Assert.True(Wait.Until(() => set[0].MessagesProcessed == PerShard + 1 && set[1].MessagesProcessed == PerShard + 1, 20_000),
            $"processed {set[0].MessagesProcessed} and {set[1].MessagesProcessed}");
        set.Stop();
        Assert.Equal(new long[] { PerShard, PerShard }, next);
        Assert.Equal(new long[] { 0, 0 }, errors);
        Assert.True(set[0].OutboxHighWater > 1000 && set[1].OutboxHighWater > 1000);
        Assert.Equal(0, set[0].OutboxPending);
    }

    [Fact]
    public void TrySend_OnAShard_DoesNotOvertakeItsOutbox()
    {
        // Goal: per-sender order holds even when mixing TrySend and Send. Method: while the target is blocked, a shard
        // Sends 10 (8 fit, 2 go to the outbox) and then TrySends: refused although a slot may be free later.
        using var set = new ShardSet(new ShardSetOptions { ShardCount = 2, PinThreads = false, MailboxCapacity = 8 });
        set.Start();
        using var gate = new ManualResetEventSlim(false);
        using var gateEntered = new ManualResetEventSlim(false);
        var order = new List<long>();
        var record = new ActionWork((_, m) => order.Add(m.Arg0));
        set.Send(new ShardId(1), new ShardMessage(new ActionWork((_, _) =>
        {
            gateEntered.Set();
            gate.Wait();
        })));
        Assert.True(gateEntered.Wait(10_000));
        bool? trySendResult = null;
        int outbox = -1;
        set.Send(new ShardId(0), new ShardMessage(new ActionWork((shard, _) =>
        {
            for (int i = 0; i < 10; i++)
            {
                set.Send(new ShardId(1), new ShardMessage(record, 0, i));
            }
            outbox = shard.OutboxPending;
            trySendResult = set.TrySend(new ShardId(1), new ShardMessage(record, 0, 10));
        })));
        Assert.True(Wait.Until(() => trySendResult.HasValue));
        Assert.False(trySendResult);
        Assert.Equal(2, outbox);
        gate.Set();
        Assert.True(Wait.Until(() => set[1].MessagesProcessed == 11));
        set.Stop();
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, order.ToArray());
    }
}
