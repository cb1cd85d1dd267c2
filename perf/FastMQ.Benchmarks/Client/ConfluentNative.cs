using System;
using System.IO;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace FastMQ.Benchmarks.Client;

/// <summary>
/// Loads the librdkafka bundled with Confluent.Kafka's package (never a system copy), falling back to its
/// self-contained centos8 build when the default one lacks libsasl2 (as on Debian).
/// </summary>
internal static class ConfluentNative
{
    private static readonly object Gate = new();
    private static bool s_loaded;

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
