using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using Confluent.Kafka;

namespace FastMQ.Tests.Shared;

/// <summary>
/// Makes Confluent.Kafka load the librdkafka bundled with its NuGet package (2.16), never a system copy such as
/// Debian's 2.0.2 that kcat pulls in (kafka-protocol.md §0.7): tests then check, and benchmarks measure, the client the
/// repo pins, the same on every machine. One source file, linked into each project that runs Confluent.Kafka.
/// </summary>
/// <remarks>
/// Confluent.Kafka binds librdkafka through <c>[DllImport]</c>; a resolver on its assembly maps those names to the
/// package's own files only. The package's default build needs libsasl2.so.3, which Debian does not have; plain probing
/// would then fall through to a system librdkafka, so the resolver tries the package's self-contained "centos8" build
/// next and otherwise throws. Thread-safe; the resolver is set at most once per process, because the runtime accepts
/// only one per assembly, even when a first load failed.
/// </remarks>
internal static class BundledLibrdkafka
{
    private static readonly object Gate = new();
    private static bool s_resolverSet;
    private static string? s_version;
    private static string s_loadedFrom = "";

    /// <summary>Path of the librdkafka file the resolver loaded; empty before the first successful load.</summary>
    public static string LoadedFrom => Volatile.Read(ref s_loadedFrom);

    /// <summary>
    /// Loads the bundled librdkafka once per process and returns its version string (e.g. "2.16.0"). Later calls return
    /// the same string at once. Throws <see cref="DllNotFoundException"/> when the package's files are missing from the
    /// output folder or none of them loads on this machine.
    /// </summary>
    public static string EnsureLoaded()
    {
        lock (Gate)
        {
            if (s_version is not null)
            {
                return s_version;
            }
            if (!s_resolverSet)
            {
                SetResolver();
                s_resolverSet = true;
            }
            Library.Load();
            s_version = Library.VersionString;
            return s_version;
        }
    }

    private static void SetResolver()
    {
        string rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        string folder = Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native");
        string[] candidates = [Path.Combine(folder, "librdkafka.so"), Path.Combine(folder, "centos8-librdkafka.so")];
        if (!File.Exists(candidates[0]) && !File.Exists(candidates[1]))
        {
            // Fail before Confluent.Kafka gets a chance to probe the system paths.
            throw new DllNotFoundException(
                $"bundled librdkafka not found: neither {candidates[0]} nor {candidates[1]} exists " +
                "(the Confluent.Kafka package copies them to the output folder; a system librdkafka is never used)");
        }
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
                    // The resolver may run on any thread; the volatile write publishes the path to LoadedFrom readers.
                    Volatile.Write(ref s_loadedFrom, candidate);
                    return handle;
                }
            }
            throw new DllNotFoundException($"no bundled librdkafka in {folder} loads on this machine");
        });
    }
}
