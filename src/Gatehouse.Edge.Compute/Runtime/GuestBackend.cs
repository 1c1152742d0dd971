namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>A named backend the guest may send requests to, as <c>[local_server.backends]</c> declares it.</summary>
public sealed record GuestBackend(string Name, Uri Url)
{
    /// <summary>Host header sent instead of the one in the guest's request, when set.</summary>
    public string? OverrideHost { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan FirstByteTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan BetweenBytesTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
