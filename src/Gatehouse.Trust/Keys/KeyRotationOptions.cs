namespace Gatehouse.Trust.Keys;

/// <summary>Schedule of <see cref="KeyRotationService"/>.</summary>
public sealed class KeyRotationOptions
{
    /// <summary>Age of the newest key after which a new one is created. Default 24 hours.</summary>
    public TimeSpan RotationInterval { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Time a new key is published before it signs. It must exceed the time every verifier and every edge
    /// process sharing the key directory take to load it: verifiers refetch within 5 s on an unknown kid,
    /// and key rings re-read the directory every <see cref="KeyRing.ReloadInterval"/>. Default 5 minutes.
    /// </summary>
    public TimeSpan ActivationDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Time a key stays published after a newer key took over signing. It must exceed the assertion lifetime
    /// plus the verifier's clock skew (60 s + 5 s by default), so every assertion the key signed expires
    /// before the key leaves the JWKS. Default 2 minutes.
    /// </summary>
    public TimeSpan RetireAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest time between two checks of the key directory. Default 1 minute.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromMinutes(1);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ActivationDelay, TimeSpan.Zero, nameof(ActivationDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetireAfter, TimeSpan.Zero, nameof(RetireAfter));
        ArgumentOutOfRangeException.ThrowIfLessThan(CheckInterval, TimeSpan.FromSeconds(1), nameof(CheckInterval));

        // A rotation before the pending key activates would pile up keys that never sign.
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RotationInterval, ActivationDelay, nameof(RotationInterval));
    }
}
