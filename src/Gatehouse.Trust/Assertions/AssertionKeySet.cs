using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Trust.Assertions;

/// <summary>
/// Cached ES256 public keys from an <see cref="IJwksSource"/>. Fetches at most once per
/// <see cref="MinFetchInterval"/>, whatever triggers it, so a flood of assertions with made-up kids cannot
/// hammer the source. A failed fetch is logged and the cached keys stay in use.
/// </summary>
internal sealed class AssertionKeySet
{
    public static readonly TimeSpan MinFetchInterval = TimeSpan.FromSeconds(5);

    /// <summary>Age after which a lookup starts a background refetch, so retired keys drop out.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    private readonly IJwksSource _source;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _fetchGate = new();
    private volatile Snapshot _snapshot = new(new Dictionary<string, CachedKey>(), DateTimeOffset.MinValue);
    private DateTimeOffset _lastFetchAttempt = DateTimeOffset.MinValue;
    private Task? _fetch;

    public AssertionKeySet(IJwksSource source, TimeProvider timeProvider, ILogger logger)
    {
        _source = source;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Returns the key for <paramref name="keyId"/>, fetching the set when the kid is unknown.</summary>
    public async ValueTask<SecurityKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot.Keys.TryGetValue(keyId, out var cached))
        {
            if (_timeProvider.GetUtcNow() - snapshot.FetchedAt >= MaxAge)
            {
                _ = StartFetch();
            }

            return cached.Key;
        }

        await StartFetch().WaitAsync(cancellationToken);
        return Find(keyId);
    }

    /// <summary>Current cached key for a kid, without fetching; used by the token handler's key resolver.</summary>
    public SecurityKey? Find(string keyId) => _snapshot.Keys.TryGetValue(keyId, out var cached) ? cached.Key : null;

    // Joins a fetch already running; otherwise starts one unless the last attempt was too recent.
    private Task StartFetch()
    {
        lock (_fetchGate)
        {
            if (_fetch is { IsCompleted: false })
            {
                return _fetch;
            }

            var now = _timeProvider.GetUtcNow();
            if (now - _lastFetchAttempt < MinFetchInterval)
            {
                return Task.CompletedTask;
            }

            _lastFetchAttempt = now;
            _fetch = FetchAsync(now);
            return _fetch;
        }
    }

    private async Task FetchAsync(DateTimeOffset now)
    {
        var previous = _snapshot;
        try
        {
            // The fetch is shared by every waiting caller, so no single caller's cancellation stops it.
            var json = await _source.GetJwksJsonAsync(CancellationToken.None);
            _snapshot = new Snapshot(ParseKeys(json, previous.Keys), now);
            TrustLog.AssertionKeysFetched(_logger, _snapshot.Keys.Count);
        }
        catch (Exception ex)
        {
            TrustLog.AssertionKeysFetchFailed(_logger, ex, previous.Keys.Count);
        }
    }

    // Keeps the key objects of kids seen before, so the crypto provider cache stays warm across fetches.
    private static Dictionary<string, CachedKey> ParseKeys(string json, IReadOnlyDictionary<string, CachedKey> previous)
    {
        var keys = new Dictionary<string, CachedKey>(StringComparer.Ordinal);
        foreach (var jwk in new JsonWebKeySet(json).Keys)
        {
            if (jwk.Kty != JsonWebAlgorithmsKeyTypes.EllipticCurve || jwk.Crv != JsonWebKeyECTypes.P256 ||
                string.IsNullOrEmpty(jwk.Kid) || string.IsNullOrEmpty(jwk.X) || string.IsNullOrEmpty(jwk.Y) ||
                (jwk.Alg is { Length: > 0 } alg && alg != SecurityAlgorithms.EcdsaSha256))
            {
                continue;
            }

            if (previous.TryGetValue(jwk.Kid, out var known) && known.X == jwk.X && known.Y == jwk.Y)
            {
                keys[jwk.Kid] = known;
                continue;
            }

            try
            {
                keys[jwk.Kid] = new CachedKey(CreateKey(jwk), jwk.X, jwk.Y);
            }
            catch (CryptographicException)
            {
                // A point that is not on P-256 cannot verify anything; the other keys stay usable.
            }
        }

        return keys;
    }

    private static ECDsaSecurityKey CreateKey(JsonWebKey jwk)
    {
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(jwk.X), Y = Base64UrlEncoder.DecodeBytes(jwk.Y) },
        };
        return new ECDsaSecurityKey(ECDsa.Create(parameters)) { KeyId = jwk.Kid };
    }

    private sealed record CachedKey(ECDsaSecurityKey Key, string X, string Y);

    private sealed record Snapshot(IReadOnlyDictionary<string, CachedKey> Keys, DateTimeOffset FetchedAt);
}
