using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Trust.Assertions;

/// <summary>
/// Cached ES256 public keys from an <see cref="IJwksSource"/>. Starts at most one fetch per
/// <see cref="MinFetchInterval"/>, whatever triggers it, so a flood of assertions with made-up kids cannot
/// hammer the source. A failed fetch is logged and the cached keys stay in use.
/// </summary>
/// <remarks>
/// When a fetch is not yet allowed, a lookup of an unknown kid waits for the next allowed fetch instead of
/// failing at once. So an assertion signed right after a rotation verifies even when the key set was fetched
/// a moment before. The trade-off: an assertion with a made-up kid is rejected only after that wait, up to
/// <see cref="MinFetchInterval"/>. All waiters share one fetch, and fetches never overlap.
/// </remarks>
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

    // Guarded by _fetchGate. A fetch "started after" a caller is one whose number exceeds the count the
    // caller saw, so its JWKS was requested after the caller met the unknown kid.
    private DateTimeOffset _lastFetchStart = DateTimeOffset.MinValue;
    private long _fetchesStarted;
    private Task _latestFetch = Task.CompletedTask;
    private Task? _scheduledFetch;

    public AssertionKeySet(IJwksSource source, TimeProvider timeProvider, ILogger logger)
    {
        _source = source;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>
    /// Returns the key for <paramref name="keyId"/>. An unknown kid waits for a fetch that starts after this
    /// call, at once or at the next allowed time, and returns null when that fetch does not contain it.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while
    /// waiting; the shared fetch still runs for the other waiters.</exception>
    public async ValueTask<SecurityKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot.Keys.TryGetValue(keyId, out var cached))
        {
            if (_timeProvider.GetUtcNow() - snapshot.FetchedAt >= MaxAge)
            {
                StartBackgroundFetch();
            }

            return cached.Key;
        }

        long seen;
        Task running;
        lock (_fetchGate)
        {
            seen = _fetchesStarted;
            running = _latestFetch;
        }

        // A fetch already under way usually brings a key published a moment ago, so join it first. It may have
        // been requested before the key was published, so a miss still waits for a fetch started after now.
        if (!running.IsCompleted)
        {
            await running.WaitAsync(cancellationToken);
            if (Find(keyId) is { } key)
            {
                return key;
            }
        }

        await FetchStartedAfter(seen, keyId).WaitAsync(cancellationToken);
        return Find(keyId);
    }

    /// <summary>Current cached key for a kid, without fetching; used by the token handler's key resolver.</summary>
    public SecurityKey? Find(string keyId) => _snapshot.Keys.TryGetValue(keyId, out var cached) ? cached.Key : null;

    // Returns a fetch numbered after `seen`: one already started, the scheduled one, or a new one.
    private Task FetchStartedAfter(long seen, string keyId)
    {
        lock (_fetchGate)
        {
            if (_fetchesStarted > seen)
            {
                return _latestFetch;
            }

            if (_scheduledFetch is not null)
            {
                return _scheduledFetch;
            }

            var now = _timeProvider.GetUtcNow();
            var wait = _lastFetchStart + MinFetchInterval - now;
            if (_latestFetch.IsCompleted && wait <= TimeSpan.Zero)
            {
                return StartFetchLocked(now);
            }

            TrustLog.AssertionKeysFetchDeferred(_logger, keyId, wait > TimeSpan.Zero ? wait : TimeSpan.Zero);

            // Task.Run keeps the scheduled body from entering the gate before _scheduledFetch is assigned.
            _scheduledFetch = Task.Run(RunScheduledFetchAsync);
            return _scheduledFetch;
        }
    }

    private async Task RunScheduledFetchAsync()
    {
        Task previous;
        DateTimeOffset due;
        lock (_fetchGate)
        {
            previous = _latestFetch;
        }

        // Fetches never overlap, so an older response cannot overwrite a newer one.
        await previous;
        lock (_fetchGate)
        {
            due = _lastFetchStart + MinFetchInterval;
        }

        var wait = due - _timeProvider.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            // Not cancellable: the fetch is shared by every waiter, and each waiter cancels only its own wait.
            await Task.Delay(wait, _timeProvider);
        }

        Task fetch;
        lock (_fetchGate)
        {
            _scheduledFetch = null;
            fetch = StartFetchLocked(_timeProvider.GetUtcNow());
        }

        await fetch;
    }

    // Starts a refresh when allowed and none is running or scheduled; the caller does not wait for it.
    private void StartBackgroundFetch()
    {
        lock (_fetchGate)
        {
            var now = _timeProvider.GetUtcNow();
            if (_latestFetch.IsCompleted && _scheduledFetch is null && now - _lastFetchStart >= MinFetchInterval)
            {
                _ = StartFetchLocked(now);
            }
        }
    }

    private Task StartFetchLocked(DateTimeOffset now)
    {
        _lastFetchStart = now;
        _fetchesStarted++;
        _latestFetch = FetchAsync(now);
        return _latestFetch;
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
