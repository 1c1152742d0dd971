using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>
/// CPU time (user and system) consumed by the calling thread, from <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>
/// on Linux. Time the thread spends waiting for a core or blocked in a system call does not count, which is
/// what makes the 50 ms CPU limit hold on a loaded machine. Elsewhere it falls back to the stopwatch, so
/// waiting for a core counts as CPU time there.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>True when readings are real thread CPU time rather than wall time.</summary>
    public static bool IsThreadCpuTime { get; } = OperatingSystem.IsLinux() && Probe();

    /// <summary>The calling thread's CPU time in <see cref="TimeSpan"/> ticks (100 ns).</summary>
    public static long NowTicks()
    {
        if (!IsThreadCpuTime)
        {
            return Stopwatch.GetElapsedTime(0).Ticks;
        }

        ClockGetTime(ClockThreadCpuTimeId, out var time);
        return (time.Seconds * TimeSpan.TicksPerSecond) + (time.Nanoseconds / 100);
    }

    private static bool Probe()
    {
        try
        {
            return ClockGetTime(ClockThreadCpuTimeId, out _) == 0;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
