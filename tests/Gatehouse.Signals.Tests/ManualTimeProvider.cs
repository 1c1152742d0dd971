namespace Gatehouse.Signals.Tests;

/// <summary>Clock that moves only when a test advances it. Starts on a 10 s boundary of Unix time.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private long _utcTicks = Start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);

    /// <summary>Sets the clock to <see cref="Start"/> plus <paramref name="offset"/>.</summary>
    public void SetOffset(TimeSpan offset) => Interlocked.Exchange(ref _utcTicks, Start.UtcTicks + offset.Ticks);
}
