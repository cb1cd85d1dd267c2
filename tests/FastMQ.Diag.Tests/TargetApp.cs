using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace FastMQ.Diag.Tests;

/// <summary>
/// A running FastMQ.Diag.TestTarget process (see TestTarget/Program.cs): allocates, spins, keeps 20,000
/// RetainedItems alive and counts loops on the FastMQ.Broker meter. Ready once it printed "ready"; killed on Dispose.
/// </summary>
public sealed class TargetApp : IDisposable
{
    public const int RetainedCount = 20_000;
    public const string RetainedTypeName = "FastMQ.Diag.TestTarget.RetainedItem";
    public const string LoopInstrument = "fastmq.test_target.loops";

    private readonly Process _process;

    public TargetApp()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "FastMQ.Diag.TestTarget.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        // A 1 MiB gen0 budget makes the target's allocations trigger gen0 GCs several times a second even when the
        // shared machine slows it down (the default budget follows the cache size and can outlast a short test).
        start.Environment["DOTNET_GCgen0size"] = "0x100000";
        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the test target");
        Task<string?> line = _process.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(20)) || line.Result != "ready")
        {
            Dispose();
            throw new InvalidOperationException("the test target did not print 'ready' within 20 s");
        }
    }

    public int Pid => _process.Id;

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _ = _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        _process.Dispose();
    }
}
