using System;
using FastMQ.Protocol.Primitives;
using FastMQ.Protocol.Tests.Messages;
using Xunit;

namespace FastMQ.Protocol.Tests.Primitives;

public class KafkaWriterTests
{
    // Goal: each primitive encodes to the bytes an independent hand builder produces, in both encodings.
    [Fact]
    public void PrimitivesMatchHandBuiltBytes()
    {
        var id = Guid.Parse("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
        byte[] expected = new WireBuilder().I8(-1).I16(513).I32(-2).I64(1L << 40).Bool(false).Uuid(id)
            .Str("ab").NullStr().CStr("ab").CNullStr().Bytes([7]).CBytes([7]).I32(-1).UVarint(0)
            .Arr(3).CArr(3).Arr(-1).CArr(-1).UVarint(16384).NoTags().ToArray();
        byte[] actual = Codec.Encode(static (ref KafkaWriter w) =>
        {
            w.WriteInt8(-1);
            w.WriteInt16(513);
            w.WriteInt32(-2);
            w.WriteInt64(1L << 40);
            w.WriteBoolean(false);
            w.WriteUuid(Guid.Parse("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"));
            w.WriteString("ab", flexible: false);
            w.WriteNullableString((string?)null, flexible: false);
            w.WriteString("ab"u8, flexible: true);
            w.WriteNullableString(default, isNull: true, flexible: true);
            w.WriteBytes([7], flexible: false);
            w.WriteBytes([7], flexible: true);
            w.WriteNullableBytes(default, isNull: true, flexible: false);
            w.WriteNullableBytes(default, isNull: true, flexible: true);
            w.WriteArrayCount(3, flexible: false);
            w.WriteArrayCount(3, flexible: true);
            w.WriteArrayCount(-1, flexible: false);
            w.WriteArrayCount(-1, flexible: true);
            w.WriteUnsignedVarint(16384);
            w.WriteEmptyTaggedFields(flexible: true);
            w.WriteEmptyTaggedFields(flexible: false);
        });
        Assert.Equal(expected, actual);
    }

    // Goal: unsigned varints at every width boundary round-trip and use the minimal width.
    [Theory]
    [InlineData(0u, 1)]
    [InlineData(127u, 1)]
    [InlineData(128u, 2)]
    [InlineData(16383u, 2)]
    [InlineData(16384u, 3)]
    [InlineData(2097151u, 3)]
    [InlineData(2097152u, 4)]
    [InlineData(268435455u, 4)]
    [InlineData(268435456u, 5)]
    [InlineData(uint.MaxValue, 5)]
    public void UnsignedVarintRoundTrips(uint value, int width)
    {
        byte[] bytes = Codec.Encode((ref KafkaWriter w) => w.WriteUnsignedVarint(value));
        Assert.Equal(width, bytes.Length);
        Assert.Equal(new WireBuilder().UVarint(value).ToArray(), bytes);
        Assert.Equal(value, new KafkaReader(bytes).ReadUnsignedVarint());
    }

    // Goal: zig-zag varint and varlong round-trip at the extremes.
    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(1L)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    public void SignedVarintsRoundTrip(long value)
    {
        byte[] bytes = Codec.Encode((ref KafkaWriter w) =>
        {
            w.WriteVarlong(value);
            w.WriteVarint((int)value);
        });
        var reader = new KafkaReader(bytes);
        Assert.Equal(value, reader.ReadVarlong());
        Assert.Equal((int)value, reader.ReadVarint());
        Assert.True(reader.IsAtEnd);
    }

    // Goal: a fixed buffer never overflows silently: writing past it throws and leaves earlier bytes intact.
    [Fact]
    public void FixedBufferOverflowThrows()
    {
        byte[] buffer = new byte[6];
        var e = Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new KafkaWriter(buffer);
            writer.WriteInt32(0x11223344);
            writer.WriteInt32(1);
        });
        Assert.Contains("too small", e.Message);
        Assert.Equal(new byte[] { 0x11, 0x22, 0x33, 0x44, 0, 0 }, buffer);
    }

    // Goal: the pooled writer grows past its first array, keeps earlier bytes, and a reserved slot patched after
    // growth lands at the right place.
    [Fact]
    public void PooledWriterGrowsAndPatchesAcrossGrowth()
    {
        KafkaWriter writer = KafkaWriter.CreatePooled(64);
        try
        {
            int slot = writer.BeginSizePrefix();
            for (int i = 0; i < 1000; i++)
            {
                writer.WriteInt32(i);
            }
            int size = writer.EndSizePrefix(slot, externalBytes: 10);
            Assert.Equal(4000 + 10, size);
            var reader = new KafkaReader(writer.Written);
            Assert.Equal(4010, reader.ReadInt32());
            for (int i = 0; i < 1000; i++)
            {
                Assert.Equal(i, reader.ReadInt32());
            }
        }
        finally
        {
            writer.Dispose();
        }
    }

    // Goal: strings longer than Kafka's 32767-byte limit are refused at write time instead of wrapping the INT16 length.
    [Fact]
    public void OverlongStringIsRefused()
    {
        string value = new('x', 40_000);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            KafkaWriter writer = KafkaWriter.CreatePooled();
            try
            {
                writer.WriteString(value, flexible: false);
            }
            finally
            {
                writer.Dispose();
            }
        });
    }

    // Goal: patching outside the bytes written so far is refused instead of scribbling over unwritten memory.
    [Fact]
    public void PatchOutsideWrittenBytesIsRefused()
    {
        byte[] buffer = new byte[16];
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new KafkaWriter(buffer);
            writer.WriteInt16(1);
            writer.PatchInt32(0, 5);
        });
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new KafkaWriter(buffer);
            int slot = writer.ReserveInt32();
            writer.PatchInt32(slot + 1, 5);
        });
    }
}
