using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace FastMQ.IntegrationTests.Cli;

/// <summary>Runs the real <c>fastmq</c> binary (tools/FastMQ.Cli) as a child process, the way a script would.</summary>
public static class FastMqCli
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// fastmq.dll, found next to the server the tests start: <c>…/src/FastMQ.Server/bin/&lt;Configuration&gt;/net10.0/</c>
    /// maps to <c>…/tools/FastMQ.Cli/bin/&lt;Configuration&gt;/net10.0/fastmq.dll</c>; with an artifacts path
    /// (<c>&lt;artifacts&gt;/bin/FastMQ.Server/&lt;config&gt;/</c>) to <c>&lt;artifacts&gt;/bin/FastMQ.Cli/&lt;config&gt;/</c>.
    /// </summary>
    public static string CliDll { get; } = Locate();

    public static CliResult Run(params string[] args) => Run(null, null, args);

    /// <summary>
    /// Runs fastmq with <paramref name="args"/>, feeding <paramref name="stdin"/> (then closing it) and setting
    /// <paramref name="environment"/> (a null value removes the variable). FASTMQ_BOOTSTRAP is cleared unless given,
    /// so the machine's environment cannot leak into a test.
    /// </summary>
    public static CliResult Run(string? stdin, IDictionary<string, string?>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(CliDll);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment.Remove("FASTMQ_BOOTSTRAP");
        if (environment is not null)
        {
            foreach (KeyValuePair<string, string?> e in environment)
            {
                if (e.Value is null)
                {
                    psi.Environment.Remove(e.Key);
                }
                else
                {
                    psi.Environment[e.Key] = e.Value;
                }
            }
        }
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
            }
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command exited before reading all of stdin (e.g. a usage error); its exit code tells the rest.
        }
        if (!process.WaitForExit(RunTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"fastmq {string.Join(' ', args)} did not exit within {RunTimeout}:\n{stdout.Result}\n{stderr.Result}");
        }
        process.WaitForExit();
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Locate()
    {
        var candidates = new List<string>();
        string serverDir = Path.GetDirectoryName(BrokerProcess.ServerDll)!;
        var tfm = new DirectoryInfo(serverDir);
        if (tfm.Name.StartsWith("net", StringComparison.Ordinal) && tfm.Parent?.Parent?.Parent?.Parent?.Parent is { } root)
        {
            // <root>/src/FastMQ.Server/bin/<Configuration>/<tfm>/fastmq-server.dll
            candidates.Add(Path.Combine(root.FullName, "tools", "FastMQ.Cli", "bin", tfm.Parent.Name, tfm.Name, "fastmq.dll"));
        }
        if (tfm.Parent is { Name: "FastMQ.Server" } projectBin)
        {
            // <artifacts>/bin/FastMQ.Server/<config>/fastmq-server.dll
            candidates.Add(Path.Combine(projectBin.Parent!.FullName, "FastMQ.Cli", tfm.Name, "fastmq.dll"));
        }
        var tests = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        if (tests.Parent is { Name: "FastMQ.IntegrationTests" } testsBin)
        {
            candidates.Add(Path.Combine(testsBin.Parent!.FullName, "FastMQ.Cli", tests.Name, "fastmq.dll"));
        }
        foreach (string candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("fastmq.dll not found; build tools/FastMQ.Cli first. Looked in: " + string.Join(", ", candidates));
    }
}
