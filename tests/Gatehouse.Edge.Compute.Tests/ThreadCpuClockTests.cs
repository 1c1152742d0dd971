using Gatehouse.Edge.Compute.Runtime;

namespace Gatehouse.Edge.Compute.Tests;

public sealed class ThreadCpuClockTests
{
    [Fact]
    public void ThreadCpuClock_Linux_UsesThreadTime()
    {
        Assert.True(!OperatingSystem.IsLinux() || ThreadCpuClock.IsThreadCpuTime);
    }

    [Fact]
    public void ThreadCpuClock_Sleep_IsNotCharged()
    {
        if (!ThreadCpuClock.IsThreadCpuTime)
        {
            return;
        }

        var before = ThreadCpuClock.NowTicks();
        Thread.Sleep(200);
        var spent = TimeSpan.FromTicks(ThreadCpuClock.NowTicks() - before);

        Assert.True(spent < TimeSpan.FromMilliseconds(100), $"a sleeping thread was charged {spent}");
    }
}
