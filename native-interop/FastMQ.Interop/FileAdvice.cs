namespace FastMQ.Interop;

/// <summary>posix_fadvise advice (POSIX_FADV_*; the same numbers on x86_64 and aarch64).</summary>
public enum FileAdvice
{
    Normal = 0,
    Random = 1,
    /// <summary>Read-ahead more aggressively: a consumer scanning a segment.</summary>
    Sequential = 2,
    WillNeed = 3,
    /// <summary>Drop the range's clean pages from the page cache: flushed segments nobody reads.</summary>
    DontNeed = 4,
    NoReuse = 5,
}
