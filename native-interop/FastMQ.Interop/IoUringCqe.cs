using System.Runtime.InteropServices;

namespace FastMQ.Interop;

/// <summary>
/// One completion, laid out as the kernel's <c>struct io_uring_cqe</c> (16 bytes; FastMQ never sets
/// IORING_SETUP_CQE32) so completions are copied straight out of the ring. Keep in sync with
/// include/uapi/linux/io_uring.h.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public readonly struct IoUringCqe
{
    public const int Size = 16;

    /// <summary>The token passed when the operation was prepared.</summary>
    [FieldOffset(0)] public readonly ulong UserData;

    /// <summary>Bytes transferred, a new fd (accept), a poll mask (poll), 0, or a negated errno (&lt; 0).</summary>
    [FieldOffset(8)] public readonly int Result;

    /// <summary>IORING_CQE_F_* bits (e.g. F_MORE for multishot operations).</summary>
    [FieldOffset(12)] public readonly uint Flags;

    public IoUringCqe(ulong userData, int result, uint flags)
    {
        UserData = userData;
        Result = result;
        Flags = flags;
    }

    public override string ToString() => $"cqe(user_data={UserData}, res={Result}, flags={Flags})";
}
