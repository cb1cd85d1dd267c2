using System;
using System.Globalization;
using System.IO;

namespace FastMQ.IntegrationTests.Hardening;

/// <summary>Resident set size of a process, from /proc/&lt;pid&gt;/status (VmRSS), in bytes.</summary>
public static class ProcessMemory
{
    public static long RssBytes(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                // "VmRSS:     123456 kB"
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException($"no VmRSS line in /proc/{pid}/status");
    }
}
