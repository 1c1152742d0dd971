using System.Security.Cryptography;
using Gatehouse.Trust.Keys;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Trust.Assertions;

/// <summary>
/// Signs edge assertions as compact ES256 JWTs with the key ring's current key. Thread-safe; one instance
/// serves every request.
/// </summary>
public sealed class EdgeAssertionIssuer : IEdgeAssertionIssuer
{
    /// <summary>Assertion lifetime used when none is given.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);

    private readonly KeyRing _keyRing;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _timeProvider;

    // The handler is stateless once built, so one instance serves every call. The key ring returns the same
    // SigningCredentials instance per key, so the crypto provider cache keeps one signer per key.
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public EdgeAssertionIssuer(KeyRing keyRing, TimeSpan? lifetime = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(keyRing);
        _lifetime = lifetime ?? DefaultLifetime;
        ArgumentOutOfRangeException.ThrowIfLessThan(_lifetime, TimeSpan.FromSeconds(1), nameof(lifetime));
        _keyRing = keyRing;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Returns a signed assertion valid from now for the configured lifetime.</summary>
    public string Issue(EdgeAssertion assertion)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = EdgeAssertion.Issuer,
            Audience = EdgeAssertion.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + _lifetime,
            Claims = CreateClaims(assertion),
            SigningCredentials = _keyRing.CurrentSigningCredentials,
        };
        return _handler.CreateToken(descriptor);
    }

    private static Dictionary<string, object> CreateClaims(EdgeAssertion assertion)
    {
        var claims = new Dictionary<string, object>(8, StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Jti] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12)),
            [EdgeAssertionClaims.RequestId] = assertion.RequestId,
            [EdgeAssertionClaims.ClientAddress] = assertion.ClientAddress,
            [EdgeAssertionClaims.Groups] = assertion.Groups.ToArray(),
            [EdgeAssertionClaims.Decision] = assertion.Decision,
        };
        if (assertion.Subject is not null)
        {
            claims[JwtRegisteredClaimNames.Sub] = assertion.Subject;
        }

        if (assertion.Variant is not null)
        {
            claims[EdgeAssertionClaims.Variant] = assertion.Variant;
        }

        return claims;
    }
}
