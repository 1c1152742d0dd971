namespace Gatehouse.Trust.Keys;

/// <summary>Role of a key in the ring at the time it was listed.</summary>
public enum KeyStatus
{
    /// <summary>Published in the JWKS but not yet used for signing, so verifiers can fetch it first.</summary>
    Pending,

    /// <summary>The key that signs new edge assertions.</summary>
    Current,

    /// <summary>Active and published, but a newer active key signs; assertions it signed still verify.</summary>
    Previous,

    /// <summary>Neither published nor used; assertions it signed no longer verify.</summary>
    Retired,
}

/// <summary>One signing key of the ring, without its private part.</summary>
public sealed record KeyInfo(
    string KeyId,
    DateTimeOffset CreatedAt,
    DateTimeOffset ActivatesAt,
    DateTimeOffset? RetiredAt,
    KeyStatus Status);
