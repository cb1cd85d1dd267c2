using System;
using System.Runtime.InteropServices;
using FastMQ.Interop;

namespace FastMQ.Network;

/// <summary>Zero-copy file → socket transfer (sendfile) and the fallback read, by raw descriptor.</summary>
internal static unsafe class FileSender
{
    public const int EAGAIN = Errors.EAGAIN;

    /// <summary>Sends up to <paramref name="count"/> bytes; returns bytes sent, or a negated errno (-EAGAIN when the socket is full).</summary>
    public static long SendFile(int socketFd, int fileFd, long fileOffset, int count)
    {
        while (true)
        {
            long offset = fileOffset;
            nint n = Interop.Interop.Sys.SendFile(socketFd, fileFd, &offset, (nuint)count);
            if (n >= 0)
            {
                return n;
            }
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errors.EINTR)
            {
                return -errno;
            }
        }
    }

    /// <summary>pread by descriptor; returns bytes read (0 at end of file) or throws.</summary>
    public static int ReadAt(int fd, Span<byte> buffer, long offset)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = Interop.Interop.Sys.PRead(fd, p, (nuint)buffer.Length, offset);
                if (n >= 0)
                {
                    return (int)n;
                }
                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errors.EINTR)
                {
                    throw Errors.IOException("pread", errno);
                }
            }
        }
    }
}
