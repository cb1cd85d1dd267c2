using System.Text;

namespace FastMQ.Client.Producing;

/// <summary>A topic the producer writes to: its name (also as UTF-8 for requests) and its partitions. Created once per topic.</summary>
internal sealed class TopicState
{
    private int _sticky;

    public TopicState(string name, int partitionCount, int firstSlot)
    {
        Name = name;
        NameUtf8 = Encoding.UTF8.GetBytes(name);
        Partitions = new PartitionState[partitionCount];
        for (int i = 0; i < partitionCount; i++)
        {
            Partitions[i] = new PartitionState(this, i, firstSlot + i);
        }
        _sticky = partitionCount > 1 ? System.Random.Shared.Next(partitionCount) : 0;
    }

    public string Name { get; }

    public byte[] NameUtf8 { get; }

    public PartitionState[] Partitions { get; }

    /// <summary>The partition null-key records go to until its batch is handed off (KIP-480's sticky partitioner).</summary>
    public int StickyPartition => System.Threading.Volatile.Read(ref _sticky);

    /// <summary>Moves null-key records to the next partition (racy by design: any thread may move it; all see a valid index).</summary>
    public int NextSticky(int from)
    {
        int next = Partitions.Length <= 1 ? 0 : (from + 1) % Partitions.Length;
        System.Threading.Volatile.Write(ref _sticky, next);
        return next;
    }
}
