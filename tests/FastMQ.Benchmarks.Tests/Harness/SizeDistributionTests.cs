using System;
using FastMQ.PerfHarness.Workload;
using Xunit;

namespace FastMQ.Benchmarks.Tests.Harness;

public sealed class SizeDistributionTests
{
    [Fact]
    public void FixedSizeParsesAndEveryDrawIsThatSize()
    {
        // Goal: "--size 1024" means every message is 1024 B. Method: parse, draw a table, check each entry and the mean.
        SizeDistribution d = SizeDistribution.Parse("1024");
        Assert.True(d.IsFixed);
        Assert.Equal(1024, d.MeanBytes);
        Assert.All(d.Table(100, 1), s => Assert.Equal(1024, s));
    }

    [Fact]
    public void UniformDrawsStayInRangeCoverBothEndsAndAverageTheMidpoint()
    {
        // Goal: uniform:MIN-MAX is inclusive and unbiased. Method: 200,000 draws; bounds, both ends seen, mean within 1 %.
        SizeDistribution d = SizeDistribution.Parse("uniform:100-2000");
        int[] t = d.Table(200_000, 42);
        double sum = 0;
        bool sawMin = false, sawMax = false;
        foreach (int s in t)
        {
            Assert.InRange(s, 100, 2000);
            sawMin |= s == 100;
            sawMax |= s == 2000;
            sum += s;
        }
        Assert.True(sawMin && sawMax);
        Assert.Equal(1050, d.MeanBytes);
        Assert.InRange(sum / t.Length, 1050 * 0.99, 1050 * 1.01);
    }

    [Fact]
    public void NormalDrawsHaveTheGivenMeanAndStandardDeviation()
    {
        // Goal: normal:MEAN,SD draws have that mean and spread. Method: 200,000 draws; sample mean ±1 %, sd ±3 %.
        SizeDistribution d = SizeDistribution.Parse("normal:1024,200");
        int[] t = d.Table(200_000, 7);
        double sum = 0, sq = 0;
        foreach (int s in t)
        {
            sum += s;
            sq += (double)s * s;
        }
        double mean = sum / t.Length;
        double sd = Math.Sqrt(sq / t.Length - mean * mean);
        Assert.InRange(mean, 1024 * 0.99, 1024 * 1.01);
        Assert.InRange(sd, 200 * 0.97, 200 * 1.03);
    }

    [Fact]
    public void NormalDrawsAreClampedToTheSmallestAllowedSize()
    {
        // Goal: a wide normal never yields a value too small for the 16-byte stamps. Method: normal:20,1000, min of draws.
        int[] t = SizeDistribution.Parse("normal:20,1000").Table(50_000, 3);
        Assert.All(t, s => Assert.True(s >= SizeDistribution.MinBytes));
        Assert.Contains(SizeDistribution.MinBytes, t);
    }

    [Fact]
    public void TheSameSeedGivesTheSameSequence()
    {
        // Goal: runs are reproducible. Method: two tables with one seed are equal; another seed differs.
        SizeDistribution d = SizeDistribution.Parse("uniform:16-4096");
        Assert.Equal(d.Table(1000, 5), d.Table(1000, 5));
        Assert.NotEqual(d.Table(1000, 5), d.Table(1000, 6));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("8")]
    [InlineData("uniform:2000-100")]
    [InlineData("uniform:100")]
    [InlineData("normal:1024")]
    [InlineData("normal:1024,-5")]
    [InlineData("pareto:1,2")]
    public void BadSpecsAreRejectedWithAMessageNamingTheOption(string spec)
    {
        // Goal: a typo never silently runs another workload. Method: parse bad specs, expect ArgumentException naming --size.
        ArgumentException e = Assert.Throws<ArgumentException>(() => SizeDistribution.Parse(spec));
        Assert.Contains("--size", e.Message, StringComparison.Ordinal);
    }
}
