using System;
using System.Diagnostics;
using System.Threading;
using FastMQ.Client;
using FastMQ.Client.Producing;
using Xunit;

namespace FastMQ.IntegrationTests.Client.Producer;

/// <summary>
/// The producer's linger sweep against a producing thread that is writing into the batch the sweep looks at: the
/// sender must still learn about the batch without waiting for an unrelated wake-up.
/// </summary>
public sealed class AccumulatorSweepRaceTests
{
    [Fact]
    public void BatchState_SweepDuringAppend_AsksTheProducingThreadForAWakeUp()
    {
        // Goal: the state word's hand-shake. Method: drive one batch through open → append → sweep-request → give back,
        // and check who must wake whom at each step.
        var memory = new BufferMemory(1 << 20);
        var batch = new ProducerBatch(memory.MetaPool);
        long generation = batch.Open(null!, long.MaxValue);
        Assert.Equal(ProducerBatch.Appending, batch.State);
        Assert.False(batch.EndAppend(generation));                  // no sweep meanwhile: no wake needed
        Assert.Equal(ProducerBatch.Idle, batch.State);
        Assert.False(batch.TryRequestSweep());                      // idle: the sweep can judge it itself

        Assert.True(batch.TryBeginAppend(generation));
        Assert.True(batch.TryRequestSweep());                       // the sweep found it being written to
        Assert.Equal(ProducerBatch.SweepWanted, batch.State);
        Assert.False(batch.TryCloseIdle());                         // still the producing thread's
        Assert.True(batch.EndAppend(generation));                   // giving it back tells the caller to wake the sender
        Assert.Equal(ProducerBatch.Idle, batch.State);
        Assert.True(batch.TryCloseIdle());
        Assert.False(batch.TryBeginAppend(generation));
    }

    [Fact]
    public void LingerZero_SenderThatOnlySweepsWhenWoken_SeesEveryRecordPromptly()
    {
        // Goal: with linger.ms=0 no record waits in an open batch for an unrelated wake-up. Method: a producing thread
        // appends two records per round (the second into the batch the first opened) and waits until both were handed
        // off; a sender thread modelled on ProducerSender.Loop sweeps only when woken or when a deadline it knows of is
        // due (reset, sweep, take the ready batches, then wait). A sweep that runs while the second record is being written used to skip the batch
        // without asking for a wake-up, leaving the round stuck until the sender's 100 ms timeout; here the sender
        // waits without a timeout, so a lost wake-up stalls the round and the test fails on its 2 s limit.
        var memory = new BufferMemory(64L << 20);
        using var wake = new ManualResetEventSlim(false, 0);
        using var accumulator = new RecordAccumulator(memory, 16 * 1024, 1 << 20, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(5), wake.Set);
        var topic = new TopicState("sweep-race", 1, 0);
        PartitionState partition = topic.Partitions[0];
        long handedOff = 0;
        bool stop = false;
        var sender = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                wake.Reset();
                long nextDue = accumulator.Sweep(Stopwatch.GetTimestamp(), lingerTicks: 0, force: false);
                bool took = false;
                while (partition.TryDequeue() is ProducerBatch batch)
                {
                    Interlocked.Add(ref handedOff, batch.Count);
                    accumulator.Recycle(batch);
                    took = true;
                }
                if (!took)
                {
                    // As the real sender: a known deadline (a batch opened after the sweep's clock read) is waited for
                    // with a timeout; with none known it sleeps until woken (the real one caps that at 100 ms).
                    if (nextDue == long.MaxValue)
                    {
                        wake.Wait();
                    }
                    else
                    {
                        wake.Wait(1);
                    }
                }
            }
        }) { IsBackground = true, Name = "sweep-race-sender" };
        sender.Start();
        byte[] value = new byte[100];
        const int Rounds = 20_000;
        int stalledRound = -1;
        try
        {
            for (int round = 0; round < Rounds && stalledRound < 0; round++)
            {
                for (int i = 0; i < 2; i++)
                {
                    Assert.Equal(ProduceStatus.Enqueued,
                        accumulator.Append(partition, 0, default, value, ReadOnlySpan<ProduceHeader>.Empty, null, 0, null, block: true));
                }
                long expected = 2L * (round + 1);
                var sw = Stopwatch.StartNew();
                while (Volatile.Read(ref handedOff) < expected)
                {
                    if (sw.ElapsedMilliseconds > 2000)
                    {
                        stalledRound = round;
                        break;
                    }
                    Thread.SpinWait(20);
                }
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            wake.Set();
            sender.Join(TimeSpan.FromSeconds(5));
        }
        Assert.True(stalledRound < 0,
            $"round {stalledRound}: {Volatile.Read(ref handedOff)} records handed off, the rest sat in an open batch with the sender asleep");
        Assert.Equal(2L * Rounds, Volatile.Read(ref handedOff));
    }
}
