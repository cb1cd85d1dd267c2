using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace FastMQ.Interop;

public sealed unsafe partial class IoUring
{
    /// <summary>Where Linux 6.6+ lets the administrator turn io_uring off (0 on, 1 root/group only, 2 off).</summary>
    internal const string DisabledSettingPath = "/proc/sys/kernel/io_uring_disabled";

    /// <summary>
    /// Sets up a ring with <paramref name="entries"/> submission slots (rounded up to a power of two, at most 32768).
    /// Returns false with a one-line reason when io_uring cannot be used here: not Linux x86_64/aarch64, kernel
    /// without io_uring (ENOSYS), denied by seccomp or policy (EPERM), turned off by
    /// /proc/sys/kernel/io_uring_disabled, or any other setup or mmap failure. Never throws for those.
    /// </summary>
    public static bool TryCreate(uint entries, IoUringOptions? options, out IoUring? ring, out string? unavailableReason)
    {
        ring = null;
        if (!OperatingSystem.IsLinux())
        {
            unavailableReason = $"io_uring needs Linux (this is {RuntimeInformation.OSDescription})";
            return false;
        }
        if (!Interop.Sys.SyscallNumbersKnown)
        {
            unavailableReason = $"io_uring syscall numbers are known for x86_64 and aarch64 only (this is {RuntimeInformation.ProcessArchitecture})";
            return false;
        }
        int disabled = ReadDisabledSetting(DisabledSettingPath);
        if (disabled == 2)
        {
            unavailableReason = DescribeSetupFailure(Errors.EPERM, disabled, entries);
            return false;
        }

        IoUringParams p = default;
        if (options is not null)
        {
            if (options.CompletionQueueEntries != 0)
            {
                p.Flags |= Interop.Uring.IORING_SETUP_CQSIZE;
                p.CqEntries = options.CompletionQueueEntries;
            }
            if (options.SingleIssuer)
            {
                p.Flags |= Interop.Uring.IORING_SETUP_SINGLE_ISSUER;
            }
            if (options.CooperativeTaskRun)
            {
                p.Flags |= Interop.Uring.IORING_SETUP_COOP_TASKRUN | Interop.Uring.IORING_SETUP_TASKRUN_FLAG;
            }
        }
        int fd = Interop.Uring.Setup(entries, &p);
        if (fd < 0)
        {
            unavailableReason = DescribeSetupFailure(Marshal.GetLastPInvokeError(), disabled, entries);
            return false;
        }

        var created = new IoUring { _ringFd = fd };
        if (!created.TryMapRings(in p, out unavailableReason))
        {
            created.Dispose();
            return false;
        }
        ring = created;
        unavailableReason = null;
        return true;
    }

    /// <summary>
    /// Registers buffers for <see cref="TryPrepareReadFixed"/>/<see cref="TryPrepareWriteFixed"/> (their index is the
    /// position in <paramref name="buffers"/>). The kernel pins the pages once instead of per operation. Throws
    /// <see cref="NativeIOException"/> on failure (e.g. ENOMEM over RLIMIT_MEMLOCK, EBUSY if already registered).
    /// </summary>
    public void RegisterBuffers(ReadOnlySpan<IoVec> buffers)
    {
        fixed (IoVec* p = buffers)
        {
            Register(Interop.Uring.IORING_REGISTER_BUFFERS, p, (uint)buffers.Length, "IORING_REGISTER_BUFFERS");
        }
    }

    public void UnregisterBuffers() => Register(Interop.Uring.IORING_UNREGISTER_BUFFERS, null, 0, "IORING_UNREGISTER_BUFFERS");

    /// <summary>
    /// Registers file descriptors for <see cref="IoUringSqeFlags.FixedFile"/> (the fd argument then is the position
    /// in <paramref name="fds"/>), which saves the kernel a file-table lookup and reference count per operation.
    /// </summary>
    public void RegisterFiles(ReadOnlySpan<int> fds)
    {
        fixed (int* p = fds)
        {
            Register(Interop.Uring.IORING_REGISTER_FILES, p, (uint)fds.Length, "IORING_REGISTER_FILES");
        }
    }

    public void UnregisterFiles() => Register(Interop.Uring.IORING_UNREGISTER_FILES, null, 0, "IORING_UNREGISTER_FILES");

    /// <summary>
    /// Makes the kernel signal <paramref name="eventFd"/> whenever it posts a completion to this ring, so a thread
    /// sleeping on another ring (with a READ armed on the eventfd) wakes for this ring's completions too. One eventfd
    /// per ring; throws <see cref="NativeIOException"/> (EBUSY if one is registered already).
    /// </summary>
    public void RegisterEventFd(int eventFd)
    {
        int fd = eventFd;
        Register(Interop.Uring.IORING_REGISTER_EVENTFD, &fd, 1, "IORING_REGISTER_EVENTFD");
    }

    /// <summary>Stops signalling the eventfd registered with <see cref="RegisterEventFd"/>.</summary>
    public void UnregisterEventFd() => Register(Interop.Uring.IORING_UNREGISTER_EVENTFD, null, 0, "IORING_UNREGISTER_EVENTFD");

    /// <summary>The reason string for a failed io_uring_setup (also used for io_uring_disabled = 2).</summary>
    internal static string DescribeSetupFailure(int errno, int disabledSetting, uint entries)
    {
        if (disabledSetting == 2)
        {
            return $"io_uring is disabled on this host ({DisabledSettingPath} = 2)";
        }
        return errno switch
        {
            Errors.ENOSYS => "the kernel has no io_uring (io_uring_setup: ENOSYS); Linux 5.1+ built with CONFIG_IO_URING is needed",
            Errors.EPERM when disabledSetting == 1 =>
                $"io_uring is limited to privileged users and the kernel.io_uring_group ({DisabledSettingPath} = 1) and this process is neither (io_uring_setup: EPERM)",
            Errors.EPERM => "io_uring_setup was denied (EPERM), usually by a container's seccomp profile or a security policy",
            _ => $"io_uring_setup({entries} entries) failed: {Errors.Describe(errno)} (errno {errno})",
        };
    }

    /// <summary>The value of <paramref name="path"/> (io_uring_disabled), or 0 when the file is absent (kernels before 6.6) or unreadable.</summary>
    internal static int ReadDisabledSetting(string path)
    {
        try
        {
            string text = File.ReadAllText(path).Trim();
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : 0;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private bool TryMapRings(in IoUringParams p, out string? failure)
    {
        _sqRingBytes = p.SqOff.Array + p.SqEntries * sizeof(uint);
        _cqRingBytes = p.CqOff.Cqes + p.CqEntries * (uint)IoUringCqe.Size;
        bool single = (p.Features & Interop.Uring.IORING_FEAT_SINGLE_MMAP) != 0;
        if (single)
        {
            // One mapping serves both rings; it must cover the larger of the two layouts.
            _sqRingBytes = _cqRingBytes = Math.Max(_sqRingBytes, _cqRingBytes);
        }
        _sqRing = Map(_sqRingBytes, Interop.Uring.IORING_OFF_SQ_RING);
        if (_sqRing == null)
        {
            failure = MapFailure("SQ ring");
            return false;
        }
        _cqRing = single ? _sqRing : Map(_cqRingBytes, Interop.Uring.IORING_OFF_CQ_RING);
        if (_cqRing == null)
        {
            failure = MapFailure("CQ ring");
            return false;
        }
        _sqesBytes = p.SqEntries * (uint)IoUringSqe.Size;
        _sqes = (IoUringSqe*)Map(_sqesBytes, Interop.Uring.IORING_OFF_SQES);
        if (_sqes == null)
        {
            failure = MapFailure("SQE array");
            return false;
        }

        _sqHead = (uint*)(_sqRing + p.SqOff.Head);
        _sqTail = (uint*)(_sqRing + p.SqOff.Tail);
        _sqFlags = (uint*)(_sqRing + p.SqOff.Flags);
        _sqMask = *(uint*)(_sqRing + p.SqOff.RingMask);
        _sqEntries = *(uint*)(_sqRing + p.SqOff.RingEntries);
        _cqHead = (uint*)(_cqRing + p.CqOff.Head);
        _cqTail = (uint*)(_cqRing + p.CqOff.Tail);
        _cqOverflow = (uint*)(_cqRing + p.CqOff.Overflow);
        _cqes = (IoUringCqe*)(_cqRing + p.CqOff.Cqes);
        _cqMask = *(uint*)(_cqRing + p.CqOff.RingMask);
        _cqEntries = *(uint*)(_cqRing + p.CqOff.RingEntries);
        Features = p.Features;
        _sqeTail = *_sqTail;

        // The SQ index array maps ring slots to SQE slots; FastMQ always uses slot i for SQE i, so fill it once.
        uint* array = (uint*)(_sqRing + p.SqOff.Array);
        for (uint i = 0; i < _sqEntries; i++)
        {
            array[i] = i;
        }
        failure = null;
        return true;
    }

    private byte* Map(nuint bytes, long offset)
    {
        // MAP_POPULATE faults the pages in now, so the first submissions do not page-fault.
        void* p = Interop.Sys.MMap(null, bytes, Interop.Sys.PROT_READ | Interop.Sys.PROT_WRITE,
            Interop.Sys.MAP_SHARED | Interop.Sys.MAP_POPULATE, _ringFd, offset);
        return p == Interop.Sys.MapFailed ? null : (byte*)p;
    }

    private static string MapFailure(string region)
    {
        int errno = Marshal.GetLastPInvokeError();
        return $"mmap of the io_uring {region} failed: {Errors.Describe(errno)} (errno {errno})";
    }

    private void Register(uint opcode, void* arg, uint count, string name)
    {
        ThrowIfDisposed();
        while (Interop.Uring.Register(_ringFd, opcode, arg, count) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errors.EINTR)
            {
                InteropThrowHelper.NativeIO($"io_uring_register({name})", errno);
            }
        }
    }
}
