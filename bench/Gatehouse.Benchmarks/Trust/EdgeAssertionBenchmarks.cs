using BenchmarkDotNet.Attributes;
using Gatehouse.Benchmarks.Support;
using Gatehouse.Trust.Assertions;
using Gatehouse.Trust.Keys;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Benchmarks.Trust;

/// <summary>
/// ES256 edge assertions: signing one with <see cref="EdgeAssertionIssuer"/>, and verifying one with
/// <see cref="JwksAssertionVerifier"/> on a cache hit and on a cache miss. Keys come from a key ring in a
/// temporary directory, read in process through <see cref="KeyRingJwksSource"/>. The baseline is a bare
/// <see cref="JsonWebTokenHandler"/> ES256 check of the same assertion with the published key.
/// </summary>
[MemoryDiagnoser]
public class EdgeAssertionBenchmarks
{
    private static readonly EdgeAssertion Sample = new(
        RequestId: "01J9Z8Y7X6W5V4T3S2R1Q0P9N8",
        ClientAddress: "203.0.113.7",
        Subject: "alice",
        Groups: ["staff", "admin"],
        Variant: "b",
        Decision: "allow");

    private string _keyDirectory = null!;
    private EdgeAssertionIssuer _issuer = null!;
    private JwksAssertionVerifier _cached = null!;
    private JwksAssertionVerifier _uncached = null!;
    private JsonWebTokenHandler _rawHandler = null!;
    private TokenValidationParameters _rawParameters = null!;
    private string[] _tokens = null!;
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _keyDirectory = Path.Combine(Path.GetTempPath(), "gatehouse-bench-keys-" + Guid.NewGuid().ToString("N"));
        var keyRing = KeyRing.OpenDirectory(_keyDirectory);
        // Long enough that no token expires during a run. The default lifetime is 60 seconds.
        _issuer = new EdgeAssertionIssuer(keyRing, TimeSpan.FromHours(1));
        var source = new KeyRingJwksSource(keyRing);
        _cached = new JwksAssertionVerifier(source, TimeProvider.System, NullLogger.Instance);
        _uncached = new JwksAssertionVerifier(source, TimeProvider.System, NullLogger.Instance);
        CacheBypass.ShrinkCache(_uncached, "_verified");
        _tokens = [_issuer.Issue(Sample), _issuer.Issue(Sample)];

        // The first verification fetches the key set, so no benchmark iteration pays for it.
        foreach (var token in _tokens)
        {
            await RequireValidAsync(_cached, token);
            await RequireValidAsync(_uncached, token);
        }

        _rawHandler = new JsonWebTokenHandler();
        _rawParameters = new TokenValidationParameters
        {
            ValidIssuer = EdgeAssertion.Issuer,
            ValidAudience = EdgeAssertion.Audience,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            IssuerSigningKeys = new JsonWebKeySet(keyRing.PublicJwksJson()).GetSigningKeys(),
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        };
        var raw = await _rawHandler.ValidateTokenAsync(_tokens[0], _rawParameters);
        if (!raw.IsValid)
        {
            throw new InvalidOperationException($"Baseline verification failed: {raw.Exception?.Message}");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_keyDirectory, recursive: true);

    /// <summary>The library call alone: parse, ES256 signature, lifetime, issuer and audience.</summary>
    [Benchmark(Baseline = true)]
    public async Task<bool> RawHandlerVerify()
    {
        var result = await _rawHandler.ValidateTokenAsync(_tokens[0], _rawParameters);
        return result.IsValid;
    }

    [Benchmark]
    public string Issue() => _issuer.Issue(Sample);

    [Benchmark]
    public ValueTask<AssertionCheck> VerifyCached() => _cached.VerifyAsync(_tokens[0], CancellationToken.None);

    [Benchmark]
    public ValueTask<AssertionCheck> VerifyUncached()
    {
        _next ^= 1;
        return _uncached.VerifyAsync(_tokens[_next], CancellationToken.None);
    }

    private static async Task RequireValidAsync(JwksAssertionVerifier verifier, string token)
    {
        var check = await verifier.VerifyAsync(token, CancellationToken.None);
        if (!check.IsValid)
        {
            throw new InvalidOperationException($"Setup assertion was rejected: {check.FailureReason}.");
        }
    }
}
