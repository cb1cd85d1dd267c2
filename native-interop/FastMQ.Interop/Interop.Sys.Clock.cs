using System.Runtime.InteropServices;

namespace FastMQ.Interop;

internal static unsafe partial class Interop
{
    internal static partial class Sys
    {
        internal const int ClockMonotonic = 1;
        internal const int TimerAbsTime = 1;
        internal const int PrSetTimerSlack = 29;
        internal const int PrGetTimerSlack = 30;

        [StructLayout(LayoutKind.Sequential)]
        internal struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        /// <summary>Returns 0 or an errno value (not -1 and errno: clock_nanosleep reports its error directly).</summary>
        [LibraryImport(Libc, EntryPoint = "clock_nanosleep")]
        internal static partial int ClockNanosleep(int clockId, int flags, TimeSpec* request, TimeSpec* remain);

        [LibraryImport(Libc, EntryPoint = "clock_gettime", SetLastError = true)]
        internal static partial int ClockGetTime(int clockId, TimeSpec* time);

        [LibraryImport(Libc, EntryPoint = "prctl", SetLastError = true)]
        internal static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
    }
}
