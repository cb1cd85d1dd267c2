using System;
using System.Diagnostics;
using System.Linq;
using Microsoft.Diagnostics.NETCore.Client;

namespace FastMQ.Diag.Attach;

/// <summary>
/// Finds a process by id and opens its .NET diagnostics endpoint (the Unix socket
/// <c>$TMPDIR/dotnet-diagnostic-{pid}-*-socket</c>, which only the same user can open). Every failure becomes a
/// <see cref="DiagTargetException"/> that names the cause, so commands can print one line and exit 2.
/// </summary>
public static class TargetProcess
{
    /// <summary>Returns a client for <paramref name="processId"/>, or throws <see cref="DiagTargetException"/>.</summary>
    public static DiagnosticsClient Connect(int processId)
    {
        if (processId <= 0)
        {
            throw new DiagTargetException($"invalid process id {processId}: expected a positive number");
        }
        string name = ProcessName(processId);
        // Published endpoints are the sockets in TMPDIR; a process missing here cannot be attached by this user.
        if (!DiagnosticsClient.GetPublishedProcesses().Contains(processId))
        {
            throw new DiagTargetException(
                $"process {processId} ({name}) has no .NET diagnostics endpoint: it is not a .NET process, runs as " +
                "another user, uses another TMPDIR, or was started with DOTNET_EnableDiagnostics=0");
        }
        var client = new DiagnosticsClient(processId);
        try
        {
            // The socket file can outlive its process (a killed .NET process leaves it behind) and its pid can be
            // reused by a process that is not .NET at all: only an answer over the socket proves an endpoint.
            _ = client.GetProcessEnvironment();
        }
        catch (Exception e) when (e is ServerNotAvailableException or ServerErrorException or UnsupportedCommandException
            or TimeoutException or System.IO.IOException or System.Net.Sockets.SocketException)
        {
            throw new DiagTargetException(
                $"process {processId} ({name}) has no .NET diagnostics endpoint: its endpoint file does not answer " +
                $"({e.GetType().Name}: {e.Message}); a leftover of an earlier process with the same id, or a target that stopped serving diagnostics");
        }
        return client;
    }

    private static string ProcessName(int processId)
    {
        try
        {
            using Process process = Process.GetProcessById(processId);
            return process.ProcessName;
        }
        catch (ArgumentException)
        {
            throw new DiagTargetException($"no process with id {processId} is running");
        }
        catch (InvalidOperationException)
        {
            throw new DiagTargetException($"process {processId} exited");
        }
    }
}
