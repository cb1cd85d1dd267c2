using System;
using System.Buffers.Binary;
using System.Text;
using FastMQ.Protocol.Records;
using Xunit;

namespace FastMQ.Protocol.Tests.Records;

public sealed class RecordBatchValidatorTests
{
    [Fact]
    public void Crc32C_CheckValue_MatchesTheStandard()
    {
        // Goal: the CRC is CRC-32C with Kafka's init/final xor. Method: the standard check input "123456789".
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Crc32C_AppendInPieces_EqualsOneShot()
    {
        // Goal: a running CRC over pieces (as the builder computes header then payload) equals the one-shot CRC.
        // Method: split random data at every length up to 40 and compare.
        byte[] data = new byte[97];
        new Random(7).NextBytes(data);
        uint expected = Crc32C.Compute(data);
        for (int split = 0; split <= 40; split++)
        {
            uint crc = Crc32C.Append(0xFFFFFFFFu, data.AsSpan(0, split));
            Assert.Equal(expected, ~Crc32C.Append(crc, data.AsSpan(split)));
        }
    }

    [Fact]
    public void Validate_ClientBatch_IsValid()
    {
        // Goal: a batch from a real client validates and reports its size. Method: the Confluent fixture, with
        // trailing bytes after it that the validator must not count.
        byte[] fixture = ConfluentFixtureTests.ReadFixture(CompressionCodec.None);
        byte[] withTail = [.. fixture, 1, 2, 3];

        Assert.Equal(BatchValidation.Valid, RecordBatchValidator.Validate(withTail, out int size));
        Assert.Equal(fixture.Length, size);
    }

    [Fact]
    public void Validate_AnyFlippedBitInCrcRange_IsCrcMismatch()
    {
        // Goal: every bit under the CRC is protected. Method: flip each bit from the attributes to the end of a
        // batch, one at a time, outside the header fields whose change is caught by an earlier check.
        byte[] batch = BuildSmallBatch();
        for (int i = RecordBatchDescriptor.AttributesOffset; i < batch.Length; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                byte[] copy = (byte[])batch.Clone();
                copy[i] ^= (byte)(1 << bit);
                Assert.Equal(BatchValidation.CrcMismatch, RecordBatchValidator.Validate(copy, out _));
            }
        }
    }

    [Fact]
    public void Validate_BrokerOwnedFields_AreOutsideTheCrc()
    {
        // Goal: rewriting baseOffset and partitionLeaderEpoch keeps the batch valid (append without CRC work).
        // Method: assign new values and validate.
        byte[] batch = BuildSmallBatch();
        RecordBatchHeader.AssignOffsetAndEpoch(batch, 123_456, 7);

        Assert.Equal(BatchValidation.Valid, RecordBatchValidator.Validate(batch, out _));
        Assert.Equal(123_456, new RecordBatchHeader(batch).BaseOffset);
    }

    [Fact]
    public void Validate_Truncated_IsIncomplete()
    {
        // Goal: a torn tail is "incomplete", not corrupt. Method: every prefix of a valid batch.
        byte[] batch = BuildSmallBatch();
        for (int length = 0; length < batch.Length; length++)
        {
            Assert.Equal(BatchValidation.Incomplete, RecordBatchValidator.Validate(batch.AsSpan(0, length), out int size));
            Assert.Equal(0, size);
        }
    }

    [Fact]
    public void Validate_BadMagic_IsUnsupportedMagic()
    {
        // Goal: only magic 2 is accepted. Method: magic 0, 1 and 3 on a valid batch.
        foreach (byte magic in new byte[] { 0, 1, 3 })
        {
            byte[] batch = BuildSmallBatch();
            batch[RecordBatchDescriptor.MagicOffset] = magic;
            Assert.Equal(BatchValidation.UnsupportedMagic, RecordBatchValidator.Validate(batch, out _));
        }
    }

    [Fact]
    public void Validate_CountNotLastOffsetDeltaPlusOne_IsInvalidRecordCount()
    {
        // Goal: recordsCount must equal lastOffsetDelta + 1. Method: change either field, re-sign the CRC so that
        // only the count check can fail.
        byte[] batch = BuildSmallBatch();
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchDescriptor.RecordsCountOffset), 4);
        Resign(batch);
        Assert.Equal(BatchValidation.InvalidRecordCount, RecordBatchValidator.Validate(batch, out _));

        batch = BuildSmallBatch();
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchDescriptor.LastOffsetDeltaOffset), -1);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchDescriptor.RecordsCountOffset), 0);
        Resign(batch);
        Assert.Equal(BatchValidation.InvalidRecordCount, RecordBatchValidator.Validate(batch, out _));
    }

    [Fact]
    public void Validate_BatchLengthBelowHeader_IsInvalidLength()
    {
        // Goal: a batchLength that cannot even hold the header is rejected before anything else is read.
        // Method: batchLength 48 and -1.
        foreach (int length in new[] { 48, -1 })
        {
            byte[] batch = BuildSmallBatch();
            BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchDescriptor.BatchLengthOffset), length);
            Assert.Equal(BatchValidation.InvalidLength, RecordBatchValidator.Validate(batch, out _));
        }
    }

    [Fact]
    public void Validate_ReservedCodec_IsInvalidCompression()
    {
        // Goal: codecs 5–7 are rejected. Method: set each in the attributes and re-sign the CRC.
        for (short codec = 5; codec <= 7; codec++)
        {
            byte[] batch = BuildSmallBatch();
            BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(RecordBatchDescriptor.AttributesOffset), codec);
            Resign(batch);
            Assert.Equal(BatchValidation.InvalidCompression, RecordBatchValidator.Validate(batch, out _));
        }
    }

    internal static byte[] BuildSmallBatch()
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(1000, "k"u8, "v1"u8);
        builder.Append(1001, RecordBytes.Null, "v2"u8);
        byte[] batch = new byte[builder.Seal()];
        Assert.True(builder.TryWriteTo(batch, out _));
        return batch;
    }

    internal static void Resign(byte[] batch)
    {
        uint crc = Crc32C.Compute(batch.AsSpan(RecordBatchDescriptor.AttributesOffset));
        BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(RecordBatchDescriptor.CrcOffset), crc);
    }
}
