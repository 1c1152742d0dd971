using BenchmarkDotNet.Attributes;
using Gatehouse.Benchmarks.Support;
using Gatehouse.Trust.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Benchmarks.Trust;

/// <summary>
/// RS256 bearer token validation through <see cref="OidcTokenValidator"/> against a loopback OIDC provider,
/// with and without a cache hit, next to a bare <see cref="JsonWebTokenHandler"/> call on the same token.
/// </summary>
[MemoryDiagnoser]
public class TokenValidationBenchmarks : IDisposable
{
    private LocalOidcProvider _provider = null!;
    private HttpClient _http = null!;
    private OidcTokenValidator _cached = null!;
    private OidcTokenValidator _uncached = null!;
    private JsonWebTokenHandler _rawHandler = null!;
    private TokenValidationParameters _rawParameters = null!;
    private string[] _tokens = null!;
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _provider = await LocalOidcProvider.StartAsync();
        _http = new HttpClient();
        _tokens = [_provider.MintRs256(), _provider.MintRs256()];
        _cached = CreateValidator();
        _uncached = CreateValidator();
        CacheBypass.ShrinkCache(_uncached, "_cache");

        // Both validators fetch discovery and JWKS here, so no benchmark iteration waits on HTTP.
        foreach (var token in _tokens)
        {
            await RequireValidAsync(_cached, token);
            await RequireValidAsync(_uncached, token);
        }

        _rawHandler = new JsonWebTokenHandler();
        _rawParameters = new TokenValidationParameters
        {
            ValidIssuer = _provider.Issuer,
            ValidAudience = LocalOidcProvider.Audience,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            IssuerSigningKeys = new JsonWebKeySet(_provider.JwksJson).GetSigningKeys(),
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        };
        var raw = await _rawHandler.ValidateTokenAsync(_tokens[0], _rawParameters);
        if (!raw.IsValid)
        {
            throw new InvalidOperationException($"Baseline validation failed: {raw.Exception?.Message}");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _provider.DisposeAsync();

    public void Dispose()
    {
        _http?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The library call alone: parse, signature, lifetime, issuer and audience.</summary>
    [Benchmark(Baseline = true)]
    public async Task<bool> RawHandler()
    {
        var result = await _rawHandler.ValidateTokenAsync(_tokens[0], _rawParameters);
        return result.IsValid;
    }

    /// <summary>A token validated before: one cache lookup.</summary>
    [Benchmark]
    public ValueTask<TokenCheck> ValidatorCached() => _cached.ValidateAsync(_tokens[0], CancellationToken.None);

    /// <summary>Every call misses the cache: the full check, plus storing the result.</summary>
    [Benchmark]
    public ValueTask<TokenCheck> ValidatorUncached()
    {
        _next ^= 1;
        return _uncached.ValidateAsync(_tokens[_next], CancellationToken.None);
    }

    private OidcTokenValidator CreateValidator() => new(
        [new OidcProviderOptions { Issuer = _provider.Issuer, Audience = LocalOidcProvider.Audience, AllowHttp = true }],
        _http,
        TimeProvider.System,
        NullLogger.Instance);

    private static async Task RequireValidAsync(OidcTokenValidator validator, string token)
    {
        var check = await validator.ValidateAsync(token, CancellationToken.None);
        if (!check.IsValid)
        {
            throw new InvalidOperationException($"Setup token was rejected: {check.Reason} ({check.Detail}).");
        }
    }
}
