using System;
using System.Globalization;

namespace FastMQ.PerfHarness.Workload;

/// <summary>
/// Message value sizes: <c>1024</c> (fixed), <c>uniform:MIN-MAX</c> (inclusive) or <c>normal:MEAN,STDDEV</c> (clamped
/// to [<see cref="MinBytes"/>, <see cref="MaxBytes"/>]). Sizes are drawn once into a table with a fixed seed, so every
/// run sends the same sequence, and the hot loop only indexes the table.
/// </summary>
internal sealed class SizeDistribution
{
    /// <summary>Smallest value allowed: e2e and sustain stamps need 16 bytes.</summary>
    public const int MinBytes = 16;
    public const int MaxBytes = 16 << 20;

    private SizeDistribution(string kind, double a, double b, string text)
    {
        Kind = kind;
        A = a;
        B = b;
        Text = text;
    }

    /// <summary>fixed, uniform or normal.</summary>
    public string Kind { get; }
    /// <summary>fixed: the size; uniform: min; normal: mean.</summary>
    public double A { get; }
    /// <summary>uniform: max; normal: standard deviation; fixed: 0.</summary>
    public double B { get; }
    /// <summary>The option text as given.</summary>
    public string Text { get; }

    public bool IsFixed => Kind == "fixed";

    /// <summary>Expected size in bytes (for pacing a byte rate): exact for fixed and uniform, the mean for normal.</summary>
    public double MeanBytes => Kind switch
    {
        "fixed" => A,
        "uniform" => (A + B) / 2,
        _ => A,
    };

    /// <summary>The largest size a draw can return.</summary>
    public int MaxDrawBytes => Kind switch
    {
        "fixed" => (int)A,
        "uniform" => (int)B,
        _ => MaxBytes,
    };

    public static SizeDistribution Fixed(int bytes) => Parse(bytes.ToString(CultureInfo.InvariantCulture));

    /// <summary>Parses the <c>--size</c> option; throws <see cref="ArgumentException"/> naming the problem.</summary>
    public static SizeDistribution Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            int n = Bytes(text, text);
            return new SizeDistribution("fixed", n, 0, text);
        }
        string kind = text[..colon];
        string args = text[(colon + 1)..];
        switch (kind)
        {
            case "uniform":
            {
                int dash = args.IndexOf('-', StringComparison.Ordinal);
                if (dash < 0)
                {
                    throw new ArgumentException($"--size {text}: expected uniform:MIN-MAX, e.g. uniform:100-2000");
                }
                int min = Bytes(text, args[..dash]);
                int max = Bytes(text, args[(dash + 1)..]);
                if (max < min)
                {
                    throw new ArgumentException($"--size {text}: MAX ({max}) is below MIN ({min})");
                }
                return new SizeDistribution("uniform", min, max, text);
            }
            case "normal":
            {
                int comma = args.IndexOf(',', StringComparison.Ordinal);
                if (comma < 0)
                {
                    throw new ArgumentException($"--size {text}: expected normal:MEAN,STDDEV, e.g. normal:1024,200");
                }
                int mean = Bytes(text, args[..comma]);
                if (!double.TryParse(args[(comma + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double sd) || sd < 0 || sd > MaxBytes)
                {
                    throw new ArgumentException($"--size {text}: STDDEV must be a number in [0, {MaxBytes}]");
                }
                return new SizeDistribution("normal", mean, sd, text);
            }
            default:
                throw new ArgumentException($"--size {text}: expected BYTES, uniform:MIN-MAX or normal:MEAN,STDDEV");
        }
    }

    /// <summary><paramref name="count"/> sizes drawn with <paramref name="seed"/> (same seed, same table).</summary>
    public int[] Table(int count, int seed)
    {
        var random = new Random(seed);
        int[] sizes = new int[count];
        for (int i = 0; i < count; i++)
        {
            sizes[i] = Kind switch
            {
                "fixed" => (int)A,
                "uniform" => random.Next((int)A, (int)B + 1),
                _ => (int)Math.Clamp(Math.Round(A + B * StandardNormal(random)), MinBytes, MaxBytes),
            };
        }
        return sizes;
    }

    public override string ToString() => Kind switch
    {
        "fixed" => string.Create(CultureInfo.InvariantCulture, $"{A} B"),
        "uniform" => string.Create(CultureInfo.InvariantCulture, $"uniform {A}-{B} B"),
        _ => string.Create(CultureInfo.InvariantCulture, $"normal mean {A} B, sd {B} B"),
    };

    /// <summary>Box-Muller: one standard normal draw from two uniform ones.</summary>
    private static double StandardNormal(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static int Bytes(string whole, string part) =>
        int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= MinBytes && n <= MaxBytes
            ? n
            : throw new ArgumentException($"--size {whole}: '{part}' must be an integer number of bytes in [{MinBytes}, {MaxBytes}]");
}
