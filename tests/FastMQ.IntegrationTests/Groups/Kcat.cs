using System.Diagnostics;
using System.Globalization;

namespace FastMQ.IntegrationTests.Groups;

/// <summary>kcat (Debian's, on its own librdkafka 2.0.2) as a balanced-consumer child process.</summary>
internal static class Kcat
{
    public static Process StartMember(string bootstrap, string group, string topic, int sessionTimeoutMs)
    {
        var psi = new ProcessStartInfo("kcat")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[]
        {
            "-b", bootstrap, "-G", group, "-q",
            "-X", "session.timeout.ms=" + sessionTimeoutMs.ToString(CultureInfo.InvariantCulture),
            "-X", "heartbeat.interval.ms=300",
            "-X", "partition.assignment.strategy=range",
            topic,
        })
        {
            psi.ArgumentList.Add(a);
        }
        Process p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }
}
