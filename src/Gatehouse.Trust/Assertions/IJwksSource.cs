using Gatehouse.Trust.Keys;

namespace Gatehouse.Trust.Assertions;

/// <summary>Where a verifier gets the JWKS document of the edge assertion signing keys.</summary>
public interface IJwksSource
{
    /// <summary>Returns the current JWKS JSON; throws when the source cannot be reached.</summary>
    ValueTask<string> GetJwksJsonAsync(CancellationToken cancellationToken);
}

/// <summary>Reads the JWKS straight from a key ring in the same process, such as a single-node setup.</summary>
public sealed class KeyRingJwksSource(KeyRing keyRing) : IJwksSource
{
    public ValueTask<string> GetJwksJsonAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(keyRing.PublicJwksJson());
}
