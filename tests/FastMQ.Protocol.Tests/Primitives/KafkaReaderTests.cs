using System;
using FastMQ.Protocol.Primitives;
using FastMQ.Protocol.Tests.Messages;
using Xunit;

namespace FastMQ.Protocol.Tests.Primitives;

public class KafkaReaderTests
{
    // Goal: fixed-width integers, bool and uuid decode big-endian as the protocol defines; method: hand-built bytes.
    [Fact]
    public void ReadsFixedWidthPrimitivesBigEndian()
    {
        var id = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        byte[] bytes = new WireBuilder().I8(-2).I16(-300).I32(0x01020304).I64(-5_000_000_000L).Bool(true).I8(7)
            .Uuid(id).ToArray();
        var reader = new KafkaReader(bytes);
        Assert.Equal(-2, reader.ReadInt8());
        Assert.Equal(-300, reader.ReadInt16());
        Assert.Equal(0x01020304, reader.ReadInt32());
        Assert.Equal(-5_000_000_000L, reader.ReadInt64());
        Assert.True(reader.ReadBoolean());
        Assert.True(reader.ReadBoolean()); // any non-zero byte is true
        Assert.Equal(id, reader.ReadUuid());
        Assert.True(reader.IsAtEnd);
        Assert.Equal(0x00, bytes[^16]); // uuid is stored most significant byte first
        Assert.Equal(0xff, bytes[^1]);
    }

    // Goal: classic and compact strings, null markers and empty strings decode per §1.4; method: hand-built bytes.
    [Fact]
    public void ReadsClassicAndCompactStrings()
    {
        byte[] bytes = new WireBuilder().Str("héllo").NullStr().Str("").CStr("topic").CNullStr().CStr("").ToArray();
        var reader = new KafkaReader(bytes);
        Assert.Equal("héllo", reader.ReadString(flexible: false));
        Assert.Null(reader.ReadNullableString(flexible: false));
        Assert.Equal("", reader.ReadString(flexible: false));
        Assert.True(reader.ReadStringSpan(flexible: true).SequenceEqual("topic"u8));
        reader.ReadNullableStringSpan(flexible: true, out bool isNull);
        Assert.True(isNull);
        Assert.Equal(0, reader.ReadStringSpan(flexible: true).Length);
        Assert.True(reader.IsAtEnd);
    }

    // Goal: a null where the schema forbids it is a protocol error naming the offset.
    [Fact]
    public void NonNullableStringRejectsNull()
    {
        byte[] bytes = new WireBuilder().I32(0).NullStr().ToArray();
        var e = Assert.Throws<KafkaProtocolException>(() =>
        {
            var reader = new KafkaReader(bytes);
            reader.ReadInt32();
            reader.ReadString(flexible: false);
        });
        Assert.Contains("offset 4", e.Message);
    }

    // Goal: bytes fields in both encodings slice the input without copying; method: compare addresses via Overlaps.
    [Fact]
    public void BytesAreSlicesOfTheInput()
    {
        byte[] bytes = new WireBuilder().Bytes([1, 2, 3]).CBytes([4, 5]).I32(-1).UVarint(0).ToArray();
        var reader = new KafkaReader(bytes);
        ReadOnlySpan<byte> first = reader.ReadBytes(flexible: false);
        ReadOnlySpan<byte> second = reader.ReadBytes(flexible: true);
        Assert.True(first.SequenceEqual(new byte[] { 1, 2, 3 }));
        Assert.True(second.SequenceEqual(new byte[] { 4, 5 }));
        Assert.True(first.Overlaps(bytes));
        Assert.True(second.Overlaps(bytes));
        reader.ReadNullableBytes(flexible: false, out bool null1);
        reader.ReadNullableBytes(flexible: true, out bool null2);
        Assert.True(null1 && null2);
    }

    // Goal: every truncation of every primitive is a KafkaProtocolException, never an IndexOutOfRange.
    [Fact]
    public void TruncatedPrimitivesThrowProtocolException()
    {
        byte[] full = new WireBuilder().I16(1).I32(2).I64(3).Str("abc").CBytes([9, 9]).UVarint(300).Uuid(Guid.NewGuid())
            .ToArray();
        Codec.AssertEveryTruncationRejected(full, static (ref KafkaReader r) =>
        {
            r.ReadInt16();
            r.ReadInt32();
            r.ReadInt64();
            r.ReadString(flexible: false);
            r.ReadBytes(flexible: true);
            r.ReadUnsignedVarint();
            r.ReadUuid();
            r.EnsureEnd("test");
            return 0;
        });
    }

    // Goal: negative lengths other than the -1 null marker are rejected for strings, bytes and arrays.
    [Theory]
    [InlineData("string")]
    [InlineData("bytes")]
    [InlineData("array")]
    public void NegativeLengthsAreRejected(string kind)
    {
        byte[] bytes = kind == "string" ? new WireBuilder().I16(-2).ToArray() : new WireBuilder().I32(-7).Raw(0, 0).ToArray();
        var e = Assert.Throws<KafkaProtocolException>(() =>
        {
            var reader = new KafkaReader(bytes);
            switch (kind)
            {
                case "string":
                    reader.ReadNullableString(flexible: false);
                    break;
                case "bytes":
                    reader.ReadNullableBytes(flexible: false, out _);
                    break;
                default:
                    reader.ReadNullableArrayCount(flexible: false, 4);
                    break;
            }
        });
        Assert.Contains("length", e.Message);
    }

    // Goal: an array count of 2^31-1 (classic) or 2^32-2 (compact) fails before any element is allocated;
    // method: check the exception and that the thread allocated only the exception's own few bytes.
    [Fact]
    public void HugeArrayCountsFailWithoutAllocating()
    {
        byte[] classic = new WireBuilder().I32(int.MaxValue).I32(1).ToArray();
        byte[] compact = new WireBuilder().UVarint(uint.MaxValue).I32(1).ToArray();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e1 = Assert.Throws<KafkaProtocolException>(() => new KafkaReader(classic).ReadArrayCount(false, 1));
        var e2 = Assert.Throws<KafkaProtocolException>(() => new KafkaReader(compact).ReadArrayCount(true, 1));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("2147483647", e1.Message);
        Assert.Contains("4294967294", e2.Message);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes");
    }

    // Goal: element-size-aware count check: 3 int32 elements need 12 bytes, so 11 remaining bytes are refused.
    [Fact]
    public void ArrayCountCheckedAgainstMinimumElementSize()
    {
        byte[] ok = new WireBuilder().I32(3).Raw(new byte[12]).ToArray();
        byte[] tooFew = new WireBuilder().I32(3).Raw(new byte[11]).ToArray();
        Assert.Equal(3, new KafkaReader(ok).ReadArrayCount(false, 4));
        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(tooFew).ReadArrayCount(false, 4));
    }

    // Goal: varints longer than five bytes are malformed; a varint cut short is truncated; both are protocol errors.
    [Fact]
    public void BadVarintsAreRejected()
    {
        var malformed = Assert.Throws<KafkaProtocolException>(() =>
            new KafkaReader(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }).ReadUnsignedVarint());
        Assert.Contains("Malformed", malformed.Message);
        var truncated = Assert.Throws<KafkaProtocolException>(() =>
            new KafkaReader(new byte[] { 0x80, 0x80 }).ReadUnsignedVarint());
        Assert.Contains("Truncated", truncated.Message);
        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(new byte[] { 0xFF, 0xFF }).ReadStringSpan(true));
    }

    // Goal: compact string lengths above Kafka's 32767 cap are refused even when the bytes are present.
    [Fact]
    public void OverlongCompactStringIsRejected()
    {
        byte[] bytes = new WireBuilder().UVarint(40_001).Raw(new byte[40_000]).ToArray();
        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(bytes).ReadStringSpan(flexible: true));
    }

    // Goal: unknown tagged fields are skipped by size and known ones exposed; a size past the end is refused.
    [Fact]
    public void TaggedFieldsSkipUnknownAndRejectOverrun()
    {
        byte[] bytes = new WireBuilder().UVarint(2).UVarint(0).UVarint(2).Raw(0xAB, 0xCD).UVarint(7).UVarint(1).Raw(0x01)
            .I32(42).ToArray();
        var reader = new KafkaReader(bytes);
        reader.SkipTaggedFields();
        Assert.Equal(42, reader.ReadInt32());

        var reader2 = new KafkaReader(bytes);
        Assert.Equal(2, reader2.ReadTaggedFieldCount());
        Assert.True(reader2.ReadTaggedField(out uint tag).SequenceEqual(new byte[] { 0xAB, 0xCD }));
        Assert.Equal(0u, tag);

        byte[] overrun = new WireBuilder().UVarint(1).UVarint(3).UVarint(100).Raw(1, 2, 3).ToArray();
        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(overrun).SkipTaggedFields());
        byte[] tooMany = new WireBuilder().UVarint(1_000_000).ToArray();
        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(tooMany).SkipTaggedFields());
    }

    // Goal: EnsureEnd reports trailing garbage with its offset.
    [Fact]
    public void EnsureEndRejectsTrailingBytes()
    {
        var e = Assert.Throws<KafkaProtocolException>(() =>
        {
            var reader = new KafkaReader(new byte[] { 0, 1, 2 });
            reader.ReadInt16();
            reader.EnsureEnd("Thing");
        });
        Assert.Contains("Thing", e.Message);
        Assert.Contains("offset 2", e.Message);
    }
}
