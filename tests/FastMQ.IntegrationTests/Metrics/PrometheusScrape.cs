using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace FastMQ.IntegrationTests.Metrics;

/// <summary>One scrape of a Prometheus text endpoint, parsed into samples (name, labels, value) and declared types.</summary>
public sealed partial class PrometheusScrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);

    private PrometheusScrape(string text)
    {
        Text = text;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ');
                _types[parts[2]] = parts[3];
                continue;
            }
            if (line[0] == '#')
            {
                continue;
            }
            Match m = SampleLine().Match(line);
            if (!m.Success)
            {
                throw new FormatException($"not a Prometheus sample line: {line}");
            }
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match l in LabelPair().Matches(m.Groups["labels"].Value))
            {
                labels[l.Groups[1].Value] = l.Groups[2].Value;
            }
            double value = m.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                string v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            _samples.Add((m.Groups["name"].Value, labels, value));
        }
    }

    public string Text { get; }

    public static async Task<PrometheusScrape> GetAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        string text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        return new PrometheusScrape(text);
    }

    public string? TypeOf(string family) => _types.GetValueOrDefault(family);

    /// <summary>Samples named <paramref name="name"/> whose labels include every given pair.</summary>
    public List<(Dictionary<string, string> Labels, double Value)> Find(string name, params (string Key, string Value)[] labels)
    {
        var found = new List<(Dictionary<string, string>, double)>();
        foreach ((string n, Dictionary<string, string> l, double v) in _samples)
        {
            if (n != name)
            {
                continue;
            }
            bool match = true;
            foreach ((string key, string value) in labels)
            {
                match &= l.TryGetValue(key, out string? actual) && actual == value;
            }
            if (match)
            {
                found.Add((l, v));
            }
        }
        return found;
    }

    /// <summary>The value of the single matching sample, or null if there is none (more than one is an error).</summary>
    public double? Value(string name, params (string Key, string Value)[] labels)
    {
        List<(Dictionary<string, string> Labels, double Value)> found = Find(name, labels);
        return found.Count switch
        {
            0 => null,
            1 => found[0].Value,
            _ => throw new InvalidOperationException($"{found.Count} samples of {name} match; expected one"),
        };
    }

    /// <summary>Sum over matching samples (0 if none).</summary>
    public double Sum(string name, params (string Key, string Value)[] labels)
    {
        double total = 0;
        foreach ((Dictionary<string, string> _, double v) in Find(name, labels))
        {
            total += v;
        }
        return total;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?""")]
    private static partial Regex LabelPair();
}
