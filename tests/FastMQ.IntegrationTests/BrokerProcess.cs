using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Threading;

namespace FastMQ.IntegrationTests;

/// <summary>
/// A real fastmq-server process on a free loopback port with its own temporary data directory. Restartable on the
/// same port and directory; stops gracefully (SIGTERM) or hard (SIGKILL).
/// </summary>
public sealed class BrokerProcess : IDisposable
{
    private readonly string[] _extraArgs;
    private readonly bool _ownsDataDir;
    private Process? _process;
    private readonly ConcurrentQueue<string> _output = new();

    public BrokerProcess(string[]? extraArgs = null, string? dataDir = null, int port = 0)
    {
        _extraArgs = extraArgs ?? [];
        _ownsDataDir = dataDir is null;
        DataDir = dataDir ?? Path.Combine(Path.GetTempPath(), "fastmq-it-" + Guid.NewGuid().ToString("N"));
        Port = port == 0 ? FreePort() : port;
        Start();
    }

    public string DataDir { get; }

    public int Port { get; }

    public string BootstrapServers => $"127.0.0.1:{Port}";

    public int Pid => _process?.Id ?? -1;

    /// <summary>Everything the broker printed so far (stdout and stderr), for assertions and failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public static string ServerDll
    {
        get
        {
            // Builds with --artifacts-path put the server elsewhere; FASTMQ_SERVER_DLL points at it.
            string? overridden = Environment.GetEnvironmentVariable("FASTMQ_SERVER_DLL");
            if (!string.IsNullOrEmpty(overridden) && File.Exists(overridden))
            {
                return overridden;
            }
            foreach (var a in typeof(BrokerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
            {
                if (a.Key == "FastMQServerDll" && a.Value is not null && File.Exists(a.Value))
                {
                    return a.Value;
                }
            }
            throw new FileNotFoundException("fastmq-server.dll not found; build src/FastMQ.Server first.");
        }
    }

    public void Start()
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(ServerDll);
        psi.ArgumentList.Add($"--listeners=PLAINTEXT://127.0.0.1:{Port}");
        psi.ArgumentList.Add($"--log.dirs={DataDir}");
        foreach (string a in _extraArgs)
        {
            psi.ArgumentList.Add(a);
        }
        var ready = new ManualResetEventSlim();
        _process = new Process { StartInfo = psi };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            _output.Enqueue(e.Data);
            if (e.Data.Contains("FastMQ broker ready", StringComparison.Ordinal))
            {
                ready.Set();
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _output.Enqueue(e.Data);
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

    /// <summary>SIGTERM and wait: the broker finishes in-flight requests, flushes and writes its clean-shutdown markers.</summary>
    public int StopGracefully(TimeSpan? timeout = null)
    {
        if (_process is null || _process.HasExited)
        {
            return _process?.ExitCode ?? 0;
        }
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }
        if (!_process.WaitForExit(timeout ?? TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"fastmq-server did not stop after SIGTERM:\n{Output}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no chance to flush or mark a clean shutdown.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        if (_ownsDataDir)
        {
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
