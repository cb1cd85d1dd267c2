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

    /// <summary>
    /// Everything the broker printed so far (stdout and stderr), for assertions and failure messages. The lines arrive
    /// through pipes read asynchronously, so a line the broker has just printed may not be here yet: wait for it with
    /// <see cref="WaitForOutput"/>. Complete once the process has exited and was waited for (<see cref="StopGracefully"/>,
    /// <see cref="Kill"/>); while it runs, a line is certainly here only if a later line of the same stream is (the broker
    /// logs everything through one ordered queue onto stdout; <see cref="Start"/> returns after "FastMQ broker ready").
    /// </summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Default bound of <see cref="WaitForOutput"/>: generous, since CI shares two cores with other work.</summary>
    public static readonly TimeSpan OutputTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Waits until <see cref="Output"/> contains <paramref name="text"/> (at most <paramref name="timeout"/>, default
    /// <see cref="OutputTimeout"/>); false if it never did. Callers assert on <see cref="Output"/> afterwards, so a failure
    /// shows what arrived. Only for text that must appear: waiting for a line not to appear proves nothing.
    /// </summary>
    public bool WaitForOutput(string text, TimeSpan? timeout = null)
    {
        var sw = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process is { HasExited: true })
            {
                // Nothing more can come once the readers have seen the end of both pipes.
                _process.WaitForExit();
                return Output.Contains(text, StringComparison.Ordinal);
            }
            if (sw.Elapsed > (timeout ?? OutputTimeout))
            {
                return false;
            }
            Thread.Sleep(20);
        }
        return true;
    }

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
                // The reason is among the last lines: let the asynchronous readers deliver them first.
                _process.WaitForExit();
                throw new InvalidOperationException($"fastmq-server exited with {_process.ExitCode} before it was ready:\n{Output}");
            }
            if (sw.Elapsed > TimeSpan.FromSeconds(60))
            {
                // The constructor throws, so no one would dispose it: do not leave it running.
                Kill();
                throw new TimeoutException($"fastmq-server not ready after 60 s:\n{Output}");
            }
        }
    }

    /// <summary>SIGTERM and wait: the broker finishes in-flight requests, flushes and writes its clean-shutdown markers.</summary>
    public int StopGracefully(TimeSpan? timeout = null)
    {
        if (_process is null)
        {
            return 0;
        }
        if (_process.HasExited)
        {
            // It stopped on its own: still drain the readers, so Output is complete on return.
            _process.WaitForExit();
            return _process.ExitCode;
        }
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }
        if (!_process.WaitForExit(timeout ?? TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"fastmq-server did not stop after SIGTERM:\n{Output}");
        }
        // The timed wait does not wait for the asynchronous readers; this one returns once both pipes reached their end.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no chance to flush or mark a clean shutdown. On return the process is gone and Output complete.</summary>
    public void Kill()
    {
        if (_process is null)
        {
            return;
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }
        // Also when it had exited on its own: the readers may still hold its last lines.
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        _process = null;
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
