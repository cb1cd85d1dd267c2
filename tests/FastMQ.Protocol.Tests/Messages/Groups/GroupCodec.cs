using System;
using System.Collections.Generic;
using FastMQ.Protocol.Primitives;
using Xunit;

namespace FastMQ.Protocol.Tests.Messages.Groups;

/// <summary>Shared checks for the consumer-group codec tests.</summary>
internal static class GroupCodec
{
    /// <summary>Every version from <paramref name="min"/> to <paramref name="max"/>, as xunit theory data.</summary>
    public static IEnumerable<object[]> Versions(short min, short max)
    {
        for (short v = min; v <= max; v++)
        {
            yield return [v];
        }
    }

    /// <summary>Encode, decode, re-encode: equal bytes; every strict prefix refused; returns the decoded copy.</summary>
    public static T RoundTrip<T>(WriteBody write, ReadBody<T> read, Func<T, WriteBody> rewrite)
    {
        byte[] bytes = Codec.Encode(write);
        T back = Codec.Decode(bytes, read);
        Assert.Equal(bytes, Codec.Encode(rewrite(back)));
        Codec.AssertEveryTruncationRejected(bytes, read);
        return back;
    }

    /// <summary>
    /// Decodes the fixture (which must use every byte), checks that each strict prefix is refused, and returns the
    /// decoded object.
    /// </summary>
    public static T DecodeFixture<T>(byte[] fixture, ReadBody<T> read)
    {
        T decoded = Codec.Decode(fixture, read);
        Codec.AssertEveryTruncationRejected(fixture, read);
        return decoded;
    }

    /// <summary>
    /// Requires <paramref name="read"/> to refuse <paramref name="body"/> with a protocol error that names an array
    /// count, and to allocate far less than even a small fraction of the claimed elements would take.
    /// </summary>
    public static void AssertHugeCountRefused<T>(byte[] body, ReadBody<T> read)
    {
        // Warm the throw path once so JIT and first-use allocations do not count.
        Assert.Throws<KafkaProtocolException>(() => Codec.Decode(body, read));
        long before = GC.GetAllocatedBytesForCurrentThread();
        KafkaProtocolException e = Assert.Throws<KafkaProtocolException>(() => Codec.Decode(body, read));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("Array count", e.Message, StringComparison.Ordinal);
        // The exception, its message and stack trace take a few KB; one pre-sized collection of the forged count
        // would take gigabytes.
        Assert.True(allocated < 64 * 1024, $"Refusing a huge count allocated {allocated} bytes.");
    }
}
