using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace FastMQ.IntegrationTests.Compat;

/// <summary>
/// Runs <c>tests/compat/kafkajs/kafkajs-compat.js</c> (the unmodified kafkajs 2.2.4 client) with Node.js as a child
/// process, one scenario per run, and hands back the single JSON object it prints. Installs the pinned package with
/// <c>npm ci</c> the first time if <c>node_modules</c> is missing (CI installs it up front; see the folder's README).
/// Thread-safe: the install runs at most once per test run.
/// </summary>
public static class KafkaJsDriver
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<string?> s_installError = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The folder holding package.json, package-lock.json and the driver script.</summary>
    public static string Folder { get; } = Locate();

    /// <summary>Runs one scenario against <paramref name="broker"/>; fails the test if Node.js or the install is missing.</summary>
    public static KafkaJsResult Run(BrokerProcess broker, string scenario, string topic, params string[] options)
    {
        string? installError = s_installError.Value;
        Assert.True(installError is null, installError);
        var args = new List<string> { Path.Combine(Folder, "kafkajs-compat.js"), scenario, "--brokers", broker.BootstrapServers, "--topic", topic };
        args.AddRange(options);
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        // kafkajs 2 warns on every producer that its default partitioner changed in 2.0; the scripts choose it explicitly.
        psi.Environment["KAFKAJS_NO_PARTITIONER_WARNING"] = "1";
        (int exitCode, string stdout, string stderr) = Execute(psi, RunTimeout);
        return new KafkaJsResult($"kafkajs-compat.js {string.Join(' ', args[1..])}", exitCode, stdout, stderr, broker);
    }

    private static string? Install()
    {
        if (File.Exists(Path.Combine(Folder, "node_modules", "kafkajs", "package.json")))
        {
            return null;
        }
        var psi = new ProcessStartInfo("npm")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "ci", "--no-audit", "--no-fund" })
        {
            psi.ArgumentList.Add(a);
        }
        try
        {
            (int exitCode, string stdout, string stderr) = Execute(psi, InstallTimeout);
            return exitCode == 0 ? null : $"npm ci in {Folder} failed with {exitCode}:\n{stdout}\n{stderr}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"npm is not installed (Node.js 20 with npm is needed for the kafkajs compatibility tests): {e.Message}";
        }
    }

    private static (int ExitCode, string Stdout, string Stderr) Execute(ProcessStartInfo psi, TimeSpan timeout)
    {
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {psi.FileName}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"{psi.FileName} {string.Join(' ', psi.ArgumentList)} did not exit within {timeout.TotalSeconds} s:\n{stdout.Result}\n{stderr.Result}"));
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Locate()
    {
        string? overridden = Environment.GetEnvironmentVariable("FASTMQ_KAFKAJS_DIR");
        if (!string.IsNullOrEmpty(overridden))
        {
            return overridden;
        }
        var starts = new List<string>();
        // The build records where the repository's server output lives (<root>/src/FastMQ.Server/bin/<cfg>/<tfm>/),
        // which gives the repository root even when the tests themselves were built into an artifacts path.
        foreach (var a in typeof(KafkaJsDriver).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
        {
            if (a.Key == "FastMQServerDll" && a.Value is not null)
            {
                starts.Add(Path.GetDirectoryName(a.Value)!);
            }
        }
        starts.Add(AppContext.BaseDirectory);
        starts.Add(Environment.CurrentDirectory);
        foreach (string start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "tests", "compat", "kafkajs");
                if (File.Exists(Path.Combine(candidate, "package.json")))
                {
                    return candidate;
                }
            }
        }
        throw new DirectoryNotFoundException("tests/compat/kafkajs not found above " + string.Join(", ", starts) + "; set FASTMQ_KAFKAJS_DIR.");
    }
}
