namespace Gatehouse.Trust.Tests.TestSupport;

/// <summary>Polling helpers with a deadline, for code that runs on other threads.</summary>
internal static class ClockWaits
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>Waits until some code has started a delay on the manual clock.</summary>
    public static Task UntilTimerPendingAsync(ManualTimeProvider clock, int count = 1) =>
        UntilAsync(() => clock.PendingTimers >= count, $"{count} pending timers");

    /// <summary>Polls a condition every 10 ms; fails the test when it is still false after <see cref="Deadline"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, string description)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {Deadline.TotalSeconds} s waiting for {description}.");
            }

            await Task.Delay(10);
        }
    }
}
