using System.IO;
using System.Runtime.InteropServices;

namespace FastMQ.Interop;

/// <summary>errno values FastMQ reacts to, and errno → exception with the C library's message.</summary>
public static unsafe class Errors
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EFAULT = 14;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int EPIPE = 32;
    public const int ENOSYS = 38;
    public const int EOPNOTSUPP = 95;
    public const int ECANCELED = 125;
    public const int EDQUOT = 122;

    /// <summary>The C library's text for <paramref name="errno"/>, e.g. "No space left on device".</summary>
    public static string Describe(int errno)
    {
        byte* s = Interop.Sys.StrError(errno);
        return s == null ? $"errno {errno}" : Marshal.PtrToStringUTF8((nint)s) ?? $"errno {errno}";
    }

    /// <summary>True for errors meaning "the file system is full" (ENOSPC, EDQUOT).</summary>
    public static bool IsDiskFull(int errno) => errno is ENOSPC or EDQUOT;

    public static IOException IOException(string operation, int errno) =>
        new NativeIOException($"{operation} failed: {Describe(errno)} (errno {errno})", errno);
}

/// <summary>An <see cref="IOException"/> carrying the errno of the failed syscall.</summary>
public sealed class NativeIOException(string message, int errno) : IOException(message, errno)
{
    public int Errno { get; } = errno;
}
