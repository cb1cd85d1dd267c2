using System;

namespace FastMQ.Interop;

/// <summary>Per-submission flags (IOSQE_*).</summary>
[Flags]
public enum IoUringSqeFlags : byte
{
    None = 0,

    /// <summary>IOSQE_FIXED_FILE: the fd argument is an index into the files passed to <see cref="IoUring.RegisterFiles"/>.</summary>
    FixedFile = 1 << 0,

    /// <summary>IOSQE_IO_DRAIN: start only after every earlier submission has completed; later ones wait for this one.</summary>
    IoDrain = 1 << 1,

    /// <summary>IOSQE_IO_LINK: the next submission starts after this one succeeds; if this fails, the rest of the chain completes with -ECANCELED.</summary>
    IoLink = 1 << 2,

    /// <summary>IOSQE_IO_HARDLINK: like <see cref="IoLink"/>, but the chain continues even if this one fails.</summary>
    IoHardLink = 1 << 3,

    /// <summary>IOSQE_ASYNC: skip the inline attempt and go straight to a kernel worker.</summary>
    Async = 1 << 4,
}
