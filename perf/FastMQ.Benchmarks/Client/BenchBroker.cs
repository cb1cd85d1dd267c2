using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace FastMQ.Benchmarks.Client;

/// <summary>A fastmq-server process on a free loopback port with a temporary data directory, for the client comparison.</summary>
internal sealed class BenchBroker : IDisposable
{
    private readonly Process _process;
    private readonly string _dataDir;

    public BenchBroker(string serverDll, string flushPolicy, int shards = 0)
    {
        using (var l = new TcpListener(IPAddress.Loopback, 0))
        {
            l.Start();
            Port = ((IPEndPoint)l.LocalEndpoint).Port;
        }
        _dataDir = Path.Combine(Path.GetTempPath(), "fastmq-clientbench-" + Guid.NewGuid().ToString("N"));
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(serverDll);
        psi.ArgumentList.Add($"--listeners=PLAINTEXT://127.0.0.1:{Port}");
        psi.ArgumentList.Add($"--log.dirs={_dataDir}");
        psi.ArgumentList.Add($"--log.flush.policy={flushPolicy}");
        if (shards > 0)
        {
            psi.ArgumentList.Add($"--fastmq.shards={shards}");
        }
        var ready = new ManualResetEventSlim();
        _process = new Process { StartInfo = psi };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("FastMQ broker ready", StringComparison.Ordinal) == true)
            {
                ready.Set();
            }
        };
        _process.ErrorDataReceived += (_, _) => { };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!ready.Wait(TimeSpan.FromSeconds(60)))
        {
            Dispose();
            throw new InvalidOperationException($"fastmq-server ({serverDll}) was not ready within 60 s");
        }
    }

    public int Port { get; }

    public string BootstrapServers => $"127.0.0.1:{Port}";

    /// <summary>CPU time the broker process used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
