using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Threading;

namespace FastMQ.PerfHarness;

/// <summary>
/// A fastmq-server process the harness starts for a run: free loopback port, temporary data directory (deleted on
/// dispose), extra settings from <c>--broker-arg</c>. Ready once the broker prints its ready line; stopped with SIGTERM.
/// </summary>
internal sealed class BrokerHost : IDisposable
{
    private const int KeptOutputLines = 200;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private BrokerHost(Process process, int port, string dataDir, string serverDll)
    {
        _process = process;
        Port = port;
        DataDir = dataDir;
        ServerDll = serverDll;
    }

    public int Port { get; }
    public string DataDir { get; }
    public string ServerDll { get; }
    public int Pid => _process.Id;
    public string BootstrapServers => $"127.0.0.1:{Port}";
    public string Output => string.Join(Environment.NewLine, _output);

    public static BrokerHost Start(string? serverDll, IReadOnlyList<string> brokerArgs)
    {
        string dll = FindServerDll(serverDll);
        int port = FreePort();
        string dataDir = Path.Combine(Path.GetTempPath(), "fastmq-perf-" + Guid.NewGuid().ToString("N"));
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add($"--listeners=PLAINTEXT://127.0.0.1:{port}");
        psi.ArgumentList.Add($"--log.dirs={dataDir}");
        foreach (string a in brokerArgs)
        {
            psi.ArgumentList.Add("--" + a);
        }
        var host = new BrokerHost(new Process { StartInfo = psi }, port, dataDir, dll);
        host.Run();
        return host;
    }

    private void Run()
    {
        using var ready = new ManualResetEventSlim();
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            Keep(e.Data);
            if (e.Data.Contains("FastMQ broker ready", StringComparison.Ordinal))
            {
                ready.Set();
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Keep(e.Data);
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var sw = Stopwatch.StartNew();
        while (!ready.Wait(100))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"fastmq-server exited with {_process.ExitCode} before it was ready:\n{Output}");
            }
            if (sw.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"fastmq-server not ready after 60 s:\n{Output}");
            }
        }
    }

    private void Keep(string line)
    {
        _output.Enqueue(line);
        while (_output.Count > KeptOutputLines)
        {
            _output.TryDequeue(out _);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }
            if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                _process.Kill();
                _process.WaitForExit();
            }
        }
        _process.Dispose();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// --server-dll, else FASTMQ_SERVER_DLL, else the server built next to the harness: a sibling folder in an
    /// --artifacts-path layout, or src/FastMQ.Server/bin/&lt;Configuration&gt;/ in the tree.
    /// </summary>
    private static string FindServerDll(string? given)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(given))
        {
            candidates.Add(given);
        }
        string? env = Environment.GetEnvironmentVariable("FASTMQ_SERVER_DLL");
        if (!string.IsNullOrEmpty(env))
        {
            candidates.Add(env);
        }
        string baseDir = AppContext.BaseDirectory.TrimEnd('/');
        string pivot = Path.GetFileName(baseDir);
        string? parent = Path.GetDirectoryName(Path.GetDirectoryName(baseDir));
        if (parent is not null)
        {
            candidates.Add(Path.Combine(parent, "FastMQ.Server", pivot, "fastmq-server.dll"));
        }
        foreach (var a in typeof(BrokerHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
        {
            if (a.Key == "FastMQServerDll" && a.Value is not null)
            {
                candidates.Add(a.Value);
            }
        }
        foreach (string c in candidates)
        {
            if (File.Exists(c))
            {
                return Path.GetFullPath(c);
            }
        }
        throw new FileNotFoundException($"fastmq-server.dll not found (tried: {string.Join(", ", candidates)}); build src/FastMQ.Server or pass --server-dll.");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
