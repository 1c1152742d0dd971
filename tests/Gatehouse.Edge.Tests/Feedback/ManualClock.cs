namespace Gatehouse.Edge.Tests.Feedback;

/// <summary>A clock that moves only when a test advances it, so rate windows and TTLs end without sleeping.</summary>
internal sealed class ManualClock : TimeProvider
{
    // A whole minute of Unix time, so every rate counter slot starts empty.
    private long _utcTicks = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);
}
