using System;
using BenchmarkDotNet.Running;
using FastMQ.Benchmarks.Append;

namespace FastMQ.Benchmarks;

/// <summary>
/// <c>append …</c> runs the console append runner (<see cref="AppendCommand"/>); anything else goes to
/// BenchmarkDotNet's switcher (e.g. <c>--filter '*PartitionLogAppend*'</c>).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "append")
        {
            return AppendCommand.Run(args.AsSpan(1));
        }
        if (args.Length > 0 && args[0] == "client-produce") return Client.ProducerComparisonCommand.Run(args.AsSpan(1));
        if (args.Length > 0 && args[0] == "client-consume") return Client.ConsumerComparisonCommand.Run(args.AsSpan(1));
        _ = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
