using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace FastMQ.Interop;

/// <summary>
/// Process- and thread-level syscalls: CPU affinity (pinning shard threads), sendfile (zero-copy fetch), statfs
/// (disk-full checks). Plain syscalls, safe to call from any thread; affinity calls act on the calling thread.
/// </summary>
public static unsafe class NativeSystem
{
    /// <summary>Highest CPU number the affinity calls handle (the mask FastMQ passes covers 8192 CPUs).</summary>
    public const int MaxCpu = (Interop.Sys.CpuMaskBytes * 8) - 1;

    /// <summary>How many CPUs the calling thread may run on (its sched_getaffinity mask), e.g. to size the shard count.</summary>
    public static int AvailableCpuCount
    {
        get
        {
            byte* mask = stackalloc byte[Interop.Sys.CpuMaskBytes];
            GetAffinityMask(mask);
            return AvailableCpuCountFrom(mask);
        }
    }

    /// <summary>The CPU numbers the calling thread may run on, ascending.</summary>
    public static int[] GetCurrentThreadAffinity()
    {
        byte* mask = stackalloc byte[Interop.Sys.CpuMaskBytes];
        GetAffinityMask(mask);
        int[] cpus = new int[AvailableCpuCountFrom(mask)];
        int n = 0;
        for (int cpu = 0; cpu <= MaxCpu; cpu++)
        {
            if ((mask[cpu >> 3] & (1 << (cpu & 7))) != 0)
            {
                cpus[n++] = cpu;
            }
        }
        return cpus;
    }

    /// <summary>
    /// Pins the calling thread to <paramref name="cpu"/> (sched_setaffinity with pid 0, which is the calling thread on
    /// Linux). On return the thread runs on that CPU. Throws <see cref="NativeIOException"/> with EINVAL if the CPU is
    /// offline or outside the process's cpuset.
    /// </summary>
    public static void PinCurrentThread(int cpu)
    {
        if ((uint)cpu > MaxCpu)
        {
            InteropThrowHelper.ArgumentOutOfRange(nameof(cpu), $"must be between 0 and {MaxCpu}");
        }
        byte* mask = stackalloc byte[Interop.Sys.CpuMaskBytes];
        new Span<byte>(mask, Interop.Sys.CpuMaskBytes).Clear();
        mask[cpu >> 3] = (byte)(1 << (cpu & 7));
        if (Interop.Sys.SchedSetAffinity(0, Interop.Sys.CpuMaskBytes, mask) != 0)
        {
            InteropThrowHelper.NativeIO($"sched_setaffinity(cpu {cpu})", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>The CPU the calling thread is running on right now (sched_getcpu).</summary>
    public static int CurrentCpu
    {
        get
        {
            int cpu = Interop.Sys.SchedGetCpu();
            if (cpu < 0)
            {
                InteropThrowHelper.NativeIO("sched_getcpu", Marshal.GetLastPInvokeError());
            }
            return cpu;
        }
    }

    /// <summary>
    /// Copies <paramref name="count"/> bytes of <paramref name="fileFd"/> starting at <paramref name="fileOffset"/> to
    /// <paramref name="socketFd"/> inside the kernel, looping over partial transfers and EINTR. Returns the bytes sent:
    /// <paramref name="count"/>, fewer if the file ends first or a non-blocking socket would block (EAGAIN), or a
    /// negated errno if it failed before sending anything (e.g. -EPIPE when the consumer disconnected).
    /// Never throws for I/O errors: a consumer going away is routine for the fetch path.
    /// </summary>
    public static long SendFile(int socketFd, int fileFd, long fileOffset, long count)
    {
        if (fileOffset < 0 || count < 0)
        {
            InteropThrowHelper.ArgumentOutOfRange(fileOffset < 0 ? nameof(fileOffset) : nameof(count), "must not be negative");
        }
        long offset = fileOffset;
        long sent = 0;
        while (sent < count)
        {
            nint n = Interop.Sys.SendFile(socketFd, fileFd, &offset, (nuint)(count - sent));
            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errors.EINTR)
                {
                    continue;
                }
                return sent > 0 || errno == Errors.EAGAIN ? sent : -errno;
            }
            if (n == 0)
            {
                break; // end of file
            }
            sent += n;
        }
        return sent;
    }

    /// <summary>Size and free space of the file system holding <paramref name="path"/> (statfs).</summary>
    public static FileSystemSpace GetFileSystemSpace(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Interop.Sys.StatFsBuffer buffer;
        if (Interop.Sys.StatFs(path, &buffer) != 0)
        {
            InteropThrowHelper.NativeIO($"statfs({path})", Marshal.GetLastPInvokeError());
        }
        // Block counts are in fragment-size units; Linux reports f_frsize (falling back to f_bsize, as glibc's statvfs does).
        long unit = buffer.FragmentSize > 0 ? buffer.FragmentSize : buffer.BlockSize;
        return new FileSystemSpace(
            (long)buffer.Blocks * unit,
            (long)buffer.BlocksFree * unit,
            (long)buffer.BlocksAvailable * unit);
    }

    private static void GetAffinityMask(byte* mask)
    {
        new Span<byte>(mask, Interop.Sys.CpuMaskBytes).Clear();
        if (Interop.Sys.SchedGetAffinity(0, Interop.Sys.CpuMaskBytes, mask) != 0)
        {
            InteropThrowHelper.NativeIO("sched_getaffinity", Marshal.GetLastPInvokeError());
        }
    }

    private static int AvailableCpuCountFrom(byte* mask)
    {
        int count = 0;
        for (int i = 0; i < Interop.Sys.CpuMaskBytes; i += sizeof(ulong))
        {
            count += BitOperations.PopCount(*(ulong*)(mask + i));
        }
        return count;
    }
}
