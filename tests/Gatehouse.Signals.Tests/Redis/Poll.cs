namespace Gatehouse.Signals.Tests.Redis;

/// <summary>Bounded polling for conditions that other threads or processes make true.</summary>
internal static class Poll
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    /// <summary>Polls every 10 ms; fails the test when the condition is still false after <paramref name="deadline"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string description, TimeSpan? deadline = null)
    {
        var limit = deadline ?? Deadline;
        var end = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > end)
            {
                Assert.Fail($"Timed out after {limit.TotalSeconds} s waiting for {description}.");
            }

            await Task.Delay(10);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string description, TimeSpan? deadline = null) =>
        UntilAsync(() => Task.FromResult(condition()), description, deadline);
}
