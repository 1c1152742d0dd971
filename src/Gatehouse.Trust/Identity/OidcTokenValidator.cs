using Gatehouse.Trust.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Trust.Identity;

/// <summary>
/// Validates bearer tokens from the configured OIDC providers: signature, <c>exp</c>, <c>nbf</c>,
/// <c>iss</c>, <c>aud</c> and the allowed algorithms. Valid results are cached until the token's
/// <c>exp</c>, so a repeat costs a dictionary lookup. Tokens are never logged.
/// </summary>
public sealed class OidcTokenValidator : ITokenValidator
{
    /// <summary>Longest token accepted, in characters; longer ones are rejected before any parsing.</summary>
    public const int MaxTokenLength = 16 * 1024;

    /// <summary>Maximum number of cached valid results.</summary>
    public const int CacheCapacity = 10_000;

    private readonly Dictionary<string, OidcProvider> _providers = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly ExpiringCache<TokenCheck> _cache = new(CacheCapacity);

    /// <exception cref="ArgumentException">Two providers share an issuer, or a provider allows "none" or
    /// an HMAC algorithm, which would let anyone with the public key forge tokens.</exception>
    public OidcTokenValidator(
        IEnumerable<OidcProviderOptions> providers, HttpClient? httpClient, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _timeProvider = timeProvider;
        _logger = logger;
        foreach (var options in providers)
        {
            RequireAsymmetricAlgorithms(options);
            if (!_providers.TryAdd(options.Issuer, new OidcProvider(options, httpClient, timeProvider, logger)))
            {
                throw new ArgumentException($"Identity provider issuer '{options.Issuer}' is configured twice.", nameof(providers));
            }
        }
    }

    /// <summary>Number of cached valid results; exposed for tests and metrics.</summary>
    internal int CachedCount => _cache.Count;

    public async ValueTask<TokenCheck> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        // 1. Size and cache, before any parsing.
        if (string.IsNullOrEmpty(token))
        {
            return TokenCheck.Reject(TokenFailure.Missing);
        }

        if (token.Length > MaxTokenLength)
        {
            return TokenCheck.Reject(TokenFailure.TooLarge, $"longer than {MaxTokenLength} characters");
        }

        var now = _timeProvider.GetUtcNow();
        if (_cache.TryGet(token, now, out var cached))
        {
            return cached;
        }

        // 2. Shape, then the untrusted issuer and algorithm pick the provider and rule out forgeries.
        var jwt = TokenShape.TryRead(token);
        if (jwt is null)
        {
            return TokenCheck.Reject(TokenFailure.Malformed, "not a compact JWS");
        }

        if (!_providers.TryGetValue(jwt.Issuer, out var provider))
        {
            return TokenCheck.Reject(TokenFailure.WrongIssuer, "issuer is not a configured identity provider");
        }

        var check = await ValidateWithProviderAsync(jwt, provider, cancellationToken);
        if (check.IsValid)
        {
            _cache.Set(token, check, check.ExpiresAt, now);
        }
        else
        {
            TrustLog.OidcTokenRejected(_logger, provider.Options.Issuer, check.Failure.ToString(), check.Detail);
        }

        return check;
    }

    private async ValueTask<TokenCheck> ValidateWithProviderAsync(
        JsonWebToken jwt, OidcProvider provider, CancellationToken cancellationToken)
    {
        if (!IsAllowedAlgorithm(jwt.Alg, provider.Options))
        {
            return TokenCheck.Reject(TokenFailure.AlgorithmNotAllowed, "algorithm is not in the provider's allowed list");
        }

        if (!TokenShape.HasSignature(jwt.EncodedToken))
        {
            return TokenCheck.Reject(TokenFailure.Malformed, "signature segment is empty");
        }

        // 3. Keys: a kid missing from the cached JWKS triggers one rate-limited refresh.
        var configuration = await provider.GetConfigurationAsync(cancellationToken);
        if (configuration is null)
        {
            return TokenCheck.Reject(TokenFailure.ProviderUnavailable);
        }

        if (!string.IsNullOrEmpty(jwt.Kid) && !HasKey(configuration, jwt.Kid))
        {
            configuration = await provider.RefreshForUnknownKeyAsync(jwt.Kid, cancellationToken);
            if (configuration is null || !HasKey(configuration, jwt.Kid))
            {
                return TokenCheck.Reject(TokenFailure.UnknownKey, "kid is not in the provider's JWKS");
            }
        }

        // 4. Signature, lifetime, issuer and audience.
        var result = await _handler.ValidateTokenAsync(jwt, provider.GetParameters(configuration));
        if (!result.IsValid)
        {
            return TokenCheck.Reject(TokenFailures.FromException(result.Exception), result.Exception?.GetType().Name);
        }

        return Accept(jwt, provider.Options);
    }

    private static TokenCheck Accept(JsonWebToken jwt, OidcProviderOptions options)
    {
        var subject = string.IsNullOrEmpty(jwt.Subject) ? null : jwt.Subject;
        var groups = GroupsClaimReader.Read(jwt, options.GroupsClaim);
        var expiresAt = new DateTimeOffset(DateTime.SpecifyKind(jwt.ValidTo, DateTimeKind.Utc));
        return new TokenCheck(TokenFailure.None, subject, groups, options.Issuer, expiresAt, Detail: null);
    }

    private static bool HasKey(OpenIdConnectConfiguration configuration, string keyId)
    {
        foreach (var key in configuration.SigningKeys)
        {
            if (string.Equals(key.KeyId, keyId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAllowedAlgorithm(string algorithm, OidcProviderOptions options) =>
        !IsForgeable(algorithm) && options.Algorithms.Contains(algorithm, StringComparer.Ordinal);

    // "none" needs no key, and an HMAC key could be the provider's public key, which everyone has.
    private static bool IsForgeable(string algorithm) =>
        string.IsNullOrEmpty(algorithm) ||
        algorithm.Equals(SecurityAlgorithms.None, StringComparison.OrdinalIgnoreCase) ||
        algorithm.StartsWith("HS", StringComparison.OrdinalIgnoreCase);

    private static void RequireAsymmetricAlgorithms(OidcProviderOptions options)
    {
        var forgeable = options.Algorithms.Where(IsForgeable).ToList();
        if (forgeable.Count > 0)
        {
            throw new ArgumentException(
                $"Identity provider '{options.Issuer}' allows algorithm(s) {string.Join(", ", forgeable)}, but only " +
                "asymmetric algorithms such as RS256 or ES256 are accepted. Remove them from the provider's algorithms.",
                nameof(options));
        }
    }
}
