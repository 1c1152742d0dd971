using Gatehouse.Trust.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Trust.Assertions;

/// <summary>
/// Verifies edge assertions against the JWKS from an <see cref="IJwksSource"/>: ES256 only, fixed issuer and
/// audience, <c>exp</c> and <c>nbf</c> with <see cref="ClockSkew"/>. Verified assertions are cached until
/// their <c>exp</c>, so a repeat costs a dictionary lookup.
/// </summary>
/// <remarks>
/// An assertion whose <c>kid</c> is not cached waits for a fresh key set before it is rejected as
/// "unknown edge assertion key". Fetches start at most once per 5 s, so that wait lasts up to 5 s plus the
/// fetch itself. In exchange, an assertion signed by a key rotated in a moment ago still verifies. <see cref="VerifyAsync"/> throws
/// <see cref="OperationCanceledException"/> when its token is cancelled during that wait.
/// </remarks>
public sealed class JwksAssertionVerifier : IEdgeAssertionVerifier
{
    /// <summary>Longest assertion accepted, in characters; longer ones are rejected before parsing.</summary>
    public const int MaxTokenLength = 8 * 1024;

    /// <summary>Maximum number of cached verified assertions.</summary>
    public const int CacheCapacity = 10_000;

    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);

    private readonly AssertionKeySet _keys;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters _parameters;
    private readonly ExpiringCache<EdgeAssertion> _verified = new(CacheCapacity);

    public JwksAssertionVerifier(IJwksSource source, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _timeProvider = timeProvider;
        _logger = logger;
        _keys = new AssertionKeySet(source, timeProvider, logger);
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = EdgeAssertion.Issuer,
            ValidAudience = EdgeAssertion.Audience,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ClockSkew = ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            TryAllIssuerSigningKeys = false,
            IssuerSigningKeyResolver = ResolveKey,
            LifetimeValidator = TokenLifetime.CreateValidator(timeProvider),
        };
    }

    /// <summary>Number of cached verified assertions; exposed for tests and metrics.</summary>
    internal int CachedCount => _verified.Count;

    public async ValueTask<AssertionCheck> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        var check = await VerifyUncachedAsync(token, cancellationToken);
        if (!check.IsValid)
        {
            TrustLog.AssertionRejected(_logger, check.FailureReason!);
        }

        return check;
    }

    private async ValueTask<AssertionCheck> VerifyUncachedAsync(string token, CancellationToken cancellationToken)
    {
        // 1. Cheap checks before any parsing.
        if (string.IsNullOrEmpty(token))
        {
            return AssertionCheck.Invalid(AssertionFailures.Missing);
        }

        if (token.Length > MaxTokenLength)
        {
            return AssertionCheck.Invalid(AssertionFailures.TooLarge);
        }

        var now = _timeProvider.GetUtcNow();
        if (_verified.TryGet(token, now, out var cachedAssertion))
        {
            return AssertionCheck.Valid(cachedAssertion);
        }

        // 2. Header: shape, algorithm and a known key id.
        var jwt = AssertionReader.TryRead(token);
        if (jwt is null)
        {
            return AssertionCheck.Invalid(AssertionFailures.Malformed);
        }

        if (jwt.Alg != SecurityAlgorithms.EcdsaSha256)
        {
            return AssertionCheck.Invalid(AssertionFailures.AlgorithmNotAllowed);
        }

        if (string.IsNullOrEmpty(jwt.Kid) || await _keys.FindAsync(jwt.Kid, cancellationToken) is null)
        {
            return AssertionCheck.Invalid(AssertionFailures.UnknownKey);
        }

        // 3. Signature, issuer, audience and lifetime, then the claims.
        var result = await _handler.ValidateTokenAsync(jwt, _parameters);
        if (!result.IsValid)
        {
            return AssertionCheck.Invalid(AssertionFailures.FromException(result.Exception));
        }

        var assertion = AssertionReader.ReadClaims(jwt);
        if (assertion is null)
        {
            return AssertionCheck.Invalid(AssertionFailures.Malformed);
        }

        _verified.Set(token, assertion, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), now);
        return AssertionCheck.Valid(assertion);
    }

    private IEnumerable<SecurityKey> ResolveKey(
        string token, SecurityToken securityToken, string kid, TokenValidationParameters parameters)
    {
        var key = _keys.Find(kid);
        return key is null ? [] : [key];
    }
}
