namespace Gatehouse.Edge.Tests.Support;

/// <summary>The system clock plus an offset that tests advance, to pass rate limits on JWKS refreshes without sleeping.</summary>
internal sealed class ShiftedTime : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
}
