using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Xunit;

namespace FastMQ.Interop.Tests;

public class StructLayoutTests
{
    [Fact]
    public void KernelStructs_HaveTheKernelSizes()
    {
        // Goal: every struct shared with the kernel has the uapi size. Method: Unsafe.SizeOf against the declared Size and the literal.
        Assert.Equal(IoUringParams.Size, Unsafe.SizeOf<IoUringParams>());
        Assert.Equal(120, IoUringParams.Size);
        Assert.Equal(IoSqringOffsets.Size, Unsafe.SizeOf<IoSqringOffsets>());
        Assert.Equal(40, IoSqringOffsets.Size);
        Assert.Equal(IoCqringOffsets.Size, Unsafe.SizeOf<IoCqringOffsets>());
        Assert.Equal(40, IoCqringOffsets.Size);
        Assert.Equal(IoUringSqe.Size, Unsafe.SizeOf<IoUringSqe>());
        Assert.Equal(64, IoUringSqe.Size);
        Assert.Equal(IoUringCqe.Size, Unsafe.SizeOf<IoUringCqe>());
        Assert.Equal(16, IoUringCqe.Size);
        Assert.Equal(IoVec.Size, Unsafe.SizeOf<IoVec>());
        Assert.Equal(16, IoVec.Size);
        Assert.Equal(Interop.Sys.StatFsBuffer.Size, Unsafe.SizeOf<Interop.Sys.StatFsBuffer>());
        Assert.Equal(120, Interop.Sys.StatFsBuffer.Size);
    }

    [Fact]
    public void KernelStructs_FieldsSitAtTheUapiOffsets()
    {
        // Goal: fields the ring code reads land where include/uapi/linux/io_uring.h puts them. Method: Marshal.OffsetOf.
        Assert.Equal(20, (int)Marshal.OffsetOf<IoUringParams>(nameof(IoUringParams.Features)));
        Assert.Equal(40, (int)Marshal.OffsetOf<IoUringParams>(nameof(IoUringParams.SqOff)));
        Assert.Equal(80, (int)Marshal.OffsetOf<IoUringParams>(nameof(IoUringParams.CqOff)));
        Assert.Equal(24, (int)Marshal.OffsetOf<IoSqringOffsets>(nameof(IoSqringOffsets.Array)));
        Assert.Equal(20, (int)Marshal.OffsetOf<IoCqringOffsets>(nameof(IoCqringOffsets.Cqes)));
        Assert.Equal(4, (int)Marshal.OffsetOf<IoUringSqe>(nameof(IoUringSqe.Fd)));
        Assert.Equal(8, (int)Marshal.OffsetOf<IoUringSqe>(nameof(IoUringSqe.Off)));
        Assert.Equal(16, (int)Marshal.OffsetOf<IoUringSqe>(nameof(IoUringSqe.Addr)));
        Assert.Equal(24, (int)Marshal.OffsetOf<IoUringSqe>(nameof(IoUringSqe.Len)));
        Assert.Equal(28, (int)Marshal.OffsetOf<IoUringSqe>(nameof(IoUringSqe.OpFlags)));
        Assert.Equal(32, (int)Marshal.OffsetOf<IoUringSqe>(nameof(IoUringSqe.UserData)));
        Assert.Equal(40, (int)Marshal.OffsetOf<IoUringSqe>(nameof(IoUringSqe.BufIndex)));
        Assert.Equal(8, (int)Marshal.OffsetOf<IoUringCqe>(nameof(IoUringCqe.Result)));
        Assert.Equal(12, (int)Marshal.OffsetOf<IoUringCqe>(nameof(IoUringCqe.Flags)));
        Assert.Equal(8, (int)Marshal.OffsetOf<IoVec>(nameof(IoVec.Length)));
        Assert.Equal(72, (int)Marshal.OffsetOf<Interop.Sys.StatFsBuffer>(nameof(Interop.Sys.StatFsBuffer.FragmentSize)));
    }
}
