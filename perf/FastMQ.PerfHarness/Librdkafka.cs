using System;
using System.IO;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace FastMQ.PerfHarness;

/// <summary>
/// Makes Confluent.Kafka use the librdkafka 2.16 bundled with its NuGet package, never a system copy, so results are
/// comparable between machines. The package's default build needs libsasl2.so.3 (absent on Debian), so its
/// self-contained centos8 build is tried next.
/// </summary>
internal static class Librdkafka
{
    private static readonly object Gate = new();
    private static bool s_loaded;

    public static string LoadedFrom { get; private set; } = "";

    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (s_loaded)
            {
                return;
            }
            string rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
            string folder = Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native");
            string[] candidates = [Path.Combine(folder, "librdkafka.so"), Path.Combine(folder, "centos8-librdkafka.so")];
            NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, (name, _, _) =>
            {
                if (!name.Contains("rdkafka", StringComparison.Ordinal))
                {
                    return IntPtr.Zero;
                }
                foreach (string candidate in candidates)
                {
                    if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out IntPtr handle))
                    {
                        LoadedFrom = candidate;
                        return handle;
                    }
                }
                throw new DllNotFoundException($"no bundled librdkafka in {folder} loads on this machine");
            });
            Library.Load();
            s_loaded = true;
        }
    }
}
