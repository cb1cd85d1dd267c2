using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace FastMQ.Diag.Tests;

/// <summary>Runs the real fastmq-diag executable (built next to the tests) and captures its exit code and output.</summary>
public static class DiagCli
{
    public static (int ExitCode, string Stdout, string Stderr) Run(TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "fastmq-diag.dll"));
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }
        // A fixed width keeps Spectre's tables from wrapping type names in the captured output.
        start.Environment["COLUMNS"] = "250";
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start fastmq-diag");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"fastmq-diag {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:F0} s");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
