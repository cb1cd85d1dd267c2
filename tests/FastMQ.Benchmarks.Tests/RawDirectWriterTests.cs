using System;
using System.IO;
using FastMQ.Benchmarks.Infrastructure;
using FastMQ.Benchmarks.Storage;
using Xunit;

namespace FastMQ.Benchmarks.Tests;

public class RawDirectWriterTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Write_PutsThePatternOnDiskAndWrapsAtTheEnd(bool uring, bool prefill)
    {
        // Goal: the raw baseline really writes the batch bytes where it says, with pwrite and io_uring, fresh or prefilled.
        // Method: write 1.5 files' worth of 64 KiB chunks into a 256 KiB preallocated file, read it back, compare.
        using var directory = new BenchDirectory("raw-test");
        BenchBatch batch = BatchFactory.Build(16 * 1024);
        string path = directory.File("raw.bin");
        const int ChunkBytes = 64 * 1024;
        const long FileBytes = 4 * ChunkBytes;
        using (var writer = new RawDirectWriter(path, FileBytes, ChunkBytes, batch.Bytes))
        {
            if (prefill)
            {
                writer.Prefill();
                byte[] prefilled = File.ReadAllBytes(path);
                Assert.Equal(FileBytes, prefilled.Length);
                AssertEveryChunkIsThePattern(prefilled, batch, ChunkBytes);
            }
            long written = uring ? writer.WriteUring(6 * ChunkBytes, depth: 4) : writer.WritePwrite(6 * ChunkBytes);
            Assert.Equal(6 * ChunkBytes, written);
            writer.Sync();
        }

        byte[] file = File.ReadAllBytes(path);
        Assert.Equal(FileBytes, file.Length);
        AssertEveryChunkIsThePattern(file, batch, ChunkBytes);
    }

    private static void AssertEveryChunkIsThePattern(byte[] file, BenchBatch batch, int chunkBytes)
    {
        byte[] expectedChunk = new byte[chunkBytes];
        BatchFactory.Repeat(batch.Bytes, expectedChunk);
        for (int c = 0; c < file.Length / chunkBytes; c++)
        {
            Assert.True(file.AsSpan(c * chunkBytes, chunkBytes).SequenceEqual(expectedChunk), $"chunk {c} differs");
        }
    }

    [Fact]
    public void Constructor_RejectsUnalignedChunksAndFiles()
    {
        // Goal: O_DIRECT misuse is a clear error, not EINVAL mid-run. Method: pass sizes that are not 4 KiB multiples.
        using var directory = new BenchDirectory("raw-test");
        string path = directory.File("raw.bin");
        Assert.Throws<ArgumentOutOfRangeException>(() => new RawDirectWriter(path, 1 << 20, 1000, [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RawDirectWriter(path, (1 << 20) + 4096, 8192, [1]));
    }
}
