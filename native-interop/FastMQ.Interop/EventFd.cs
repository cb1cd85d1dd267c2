using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace FastMQ.Interop;

/// <summary>
/// A Linux eventfd (non-blocking, close-on-exec): a 64-bit counter the kernel turns into readiness. FastMQ uses one
/// per shard as its wake-up line: another thread <see cref="Signal"/>s it, and the shard, sleeping in io_uring_enter
/// with a READ armed on <see cref="Fd"/>, wakes with that completion. An io_uring can also signal it on every
/// completion (<see cref="IoUring.RegisterEventFd"/>), so one wait covers several rings.
/// </summary>
/// <remarks>Any thread may call <see cref="Signal"/>; creating and disposing belong to the owner.</remarks>
public sealed unsafe class EventFd : IDisposable
{
    private int _fd;

    private EventFd(int fd)
    {
        _fd = fd;
    }

    /// <summary>The descriptor (to arm a READ of 8 bytes on it, or to register it with a ring).</summary>
    public int Fd => Volatile.Read(ref _fd);

    /// <summary>Creates an eventfd with counter 0. Throws <see cref="NativeIOException"/> on failure (EMFILE, ENOMEM).</summary>
    public static EventFd Create()
    {
        int fd = Interop.Sys.EventFd(0, Interop.Sys.EFD_NONBLOCK | Interop.Sys.EFD_CLOEXEC);
        if (fd < 0)
        {
            InteropThrowHelper.NativeIO("eventfd", Marshal.GetLastPInvokeError());
        }
        return new EventFd(fd);
    }

    /// <summary>
    /// Adds 1 to the counter, waking a reader. One write(2); allocation-free. EAGAIN (counter saturated) means a
    /// wake-up is pending anyway and is ignored, as is a descriptor already closed (the owner is shutting down).
    /// </summary>
    public void Signal()
    {
        int fd = Volatile.Read(ref _fd);
        if (fd < 0)
        {
            return;
        }
        ulong one = 1;
        while (Interop.Sys.Write(fd, &one, sizeof(ulong)) < 0)
        {
            if (Marshal.GetLastPInvokeError() != Errors.EINTR)
            {
                return;
            }
        }
    }

    /// <summary>Closes the descriptor; later <see cref="Signal"/> calls do nothing.</summary>
    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            _ = Interop.Sys.Close(fd);
        }
    }
}
