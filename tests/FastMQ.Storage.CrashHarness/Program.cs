using System;
using System.Globalization;
using FastMQ.Core;
using FastMQ.Storage;
using FastMQ.Storage.CrashHarness;
using FastMQ.Storage.Devices;

// Usage: <log directory> <stream seed> <pwrite|io_uring> <segment bytes>
// Opens (recovering) the log, then appends batches of the stream forever, one to four at a time, each group made
// durable (fdatasync) before its batches are acknowledged on stdout as "ack <seed> <index> <base> <last> ." — the
// trailing dot marks a complete line, so a line cut by SIGKILL is never taken as an acknowledgement.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: FastMQ.Storage.CrashHarness <dir> <seed> <pwrite|io_uring> <segmentBytes>");
    return 2;
}
string directory = args[0];
int seed = int.Parse(args[1], CultureInfo.InvariantCulture);
DeviceKind kind = StorageDevices.ParseBackend(args[2]) ?? DeviceKind.Pwrite;
long segmentBytes = long.Parse(args[3], CultureInfo.InvariantCulture);

using var io = new LogIoContext(StorageDevices.Create(kind, logger: null, 64, args[2], uringOptions: null), SystemClock.Instance);
var options = new PartitionLogOptions
{
    SegmentBytes = segmentBytes,
    WriteBufferBytes = 64 * 1024,
    MaxBatchBytes = 32 * 1024,
    IndexIntervalBytes = 1024,
    CommitPolicy = CommitPolicy.FsyncEachWrite,
};
PartitionLog log = PartitionLog.Open(directory, options, io);
Console.Out.WriteLine(FormattableString.Invariant($"ready {log.LogEndOffset}"));
Console.Out.Flush();

var random = new Random(seed);
var pending = new (int Index, long Base, long Last)[4];
for (int index = 0; ;)
{
    int group = random.Next(1, 5);
    for (int g = 0; g < group; g++, index++)
    {
        byte[] batch = BatchFactory.BuildStream(seed, index);
        AppendStatus status = log.TryAppend(batch, new Epoch(7), out AppendResult result);
        if (status != AppendStatus.Ok)
        {
            Console.Error.WriteLine($"append failed: {status} {result.Validation}");
            return 1;
        }
        pending[g] = (index, result.BaseOffset.Value, result.LastOffset.Value);
    }
    AppendStatus durable = log.WaitDurable(log.LogEndOffset);
    if (durable != AppendStatus.Ok)
    {
        Console.Error.WriteLine($"flush failed: {durable}");
        return 1;
    }
    for (int g = 0; g < group; g++)
    {
        Console.Out.WriteLine(FormattableString.Invariant($"ack {seed} {pending[g].Index} {pending[g].Base} {pending[g].Last} ."));
    }
    Console.Out.Flush();
}
