using System;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Diag.Heap;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FastMQ.Diag.Commands;

/// <summary>
/// <c>fastmq-diag gc-heap</c>: induces one blocking gen2 GC in the target (a pause proportional to its live heap)
/// and prints sizes and fragmentation per generation and the live objects by type.
/// </summary>
internal sealed class GcHeapCommand : AsyncCommand<GcHeapSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, GcHeapSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        HeapReport report = HeapSnapshotter.Take(settings.Pid, settings.TopTypes, TimeSpan.FromSeconds(settings.TimeoutSeconds));
        if (settings.Json)
        {
            Console.Out.WriteLine(ToJson(report));
            return Task.FromResult(ExitCodes.Ok);
        }
        AnsiConsole.MarkupLineInterpolated(
            $"process {report.ProcessId}, after induced gen2 GC #{report.GcNumber}: heap {report.TotalHeapBytes:N0} bytes, {report.LiveObjects:N0} live objects ({report.LiveBytes:N0} bytes), {report.PinnedObjects} pinned objects, {report.GcHandles} GC handles");
        var gens = new Table().AddColumn("generation").AddColumn("size bytes", c => c.RightAligned())
            .AddColumn("fragmentation bytes", c => c.RightAligned()).AddColumn("fragmentation %", c => c.RightAligned());
        foreach (HeapGenerationStats g in report.Generations)
        {
            string frag = g.FragmentationBytes is long f ? f.ToString("N0", CultureInfo.InvariantCulture) : "n/a";
            string pct = g.FragmentationBytes is long f2 && g.SizeBytes > 0
                ? (100.0 * f2 / g.SizeBytes).ToString("F1", CultureInfo.InvariantCulture) : "-";
            gens.AddRow(g.Generation, g.SizeBytes.ToString("N0", CultureInfo.InvariantCulture), frag, pct);
        }
        AnsiConsole.Write(gens);
        var types = new Table().Title($"top {report.TopTypes.Count} types by live bytes")
            .AddColumn("type").AddColumn("objects", c => c.RightAligned()).AddColumn("bytes", c => c.RightAligned());
        foreach (HeapTypeStats t in report.TopTypes)
        {
            types.AddRow(Markup.Escape(t.TypeName), t.Objects.ToString("N0", CultureInfo.InvariantCulture),
                t.Bytes.ToString("N0", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(types);
        return Task.FromResult(ExitCodes.Ok);
    }

    private static string ToJson(HeapReport report)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("pid", report.ProcessId);
            w.WriteNumber("gcNumber", report.GcNumber);
            w.WriteNumber("totalHeapBytes", report.TotalHeapBytes);
            w.WriteNumber("pinnedObjects", report.PinnedObjects);
            w.WriteNumber("gcHandles", report.GcHandles);
            w.WriteNumber("liveObjects", report.LiveObjects);
            w.WriteNumber("liveBytes", report.LiveBytes);
            w.WriteStartArray("generations");
            foreach (HeapGenerationStats g in report.Generations)
            {
                w.WriteStartObject();
                w.WriteString("generation", g.Generation);
                w.WriteNumber("sizeBytes", g.SizeBytes);
                if (g.FragmentationBytes is long f)
                {
                    w.WriteNumber("fragmentationBytes", f);
                }
                else
                {
                    w.WriteNull("fragmentationBytes");
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("topTypes");
            foreach (HeapTypeStats t in report.TopTypes)
            {
                w.WriteStartObject();
                w.WriteString("type", t.TypeName);
                w.WriteNumber("objects", t.Objects);
                w.WriteNumber("bytes", t.Bytes);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
