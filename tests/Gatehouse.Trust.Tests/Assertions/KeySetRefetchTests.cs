using System.Security.Cryptography;
using Gatehouse.Trust.Assertions;
using Gatehouse.Trust.Keys;
using Gatehouse.Trust.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Trust.Tests.Assertions;

/// <summary>How the verifier refetches the key set on an unknown kid, on a manual clock.</summary>
public sealed class KeySetRefetchTests : IDisposable
{
    private static readonly EdgeAssertion Sample = new("req-1", "203.0.113.7", "alice", ["staff"], null, "allow");

    private readonly TempDirectory _temp = new();
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly KeyRing _ring;
    private readonly EdgeAssertionIssuer _issuer;
    private readonly CountingJwksSource _source;
    private readonly JwksAssertionVerifier _verifier;

    public KeySetRefetchTests()
    {
        _ring = KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);
        _issuer = new EdgeAssertionIssuer(_ring, TimeSpan.FromSeconds(60), _clock);
        _source = new CountingJwksSource(new KeyRingJwksSource(_ring));
        _verifier = new JwksAssertionVerifier(_source, _clock, NullLogger.Instance);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Verify_RotationRightAfterFetch_WaitsAndAccepts()
    {
        Assert.True((await _verifier.VerifyAsync(_issuer.Issue(Sample), CancellationToken.None)).IsValid);

        // One second later, so the new key is the newest active one and signs.
        _clock.Advance(TimeSpan.FromSeconds(1));
        _ring.Rotate();

        var pending = _verifier.VerifyAsync(_issuer.Issue(Sample), CancellationToken.None).AsTask();
        await ClockWaits.UntilTimerPendingAsync(_clock);
        Assert.False(pending.IsCompleted);
        _clock.Advance(AssertionKeySet.MinFetchInterval);
        var check = await pending;

        Assert.True(check.IsValid, check.FailureReason);
        Assert.Equal(2, _source.Fetches);
    }

    [Fact]
    public async Task Verify_TwoRotationsWithinInterval_AcceptsBoth()
    {
        Assert.True((await _verifier.VerifyAsync(_issuer.Issue(Sample), CancellationToken.None)).IsValid);
        _clock.Advance(TimeSpan.FromSeconds(6));
        _ring.Rotate();
        var afterFirst = await _verifier.VerifyAsync(_issuer.Issue(Sample), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        _ring.Rotate();

        var pending = _verifier.VerifyAsync(_issuer.Issue(Sample), CancellationToken.None).AsTask();
        await ClockWaits.UntilTimerPendingAsync(_clock);
        _clock.Advance(AssertionKeySet.MinFetchInterval);
        var afterSecond = await pending;

        Assert.True(afterFirst.IsValid, afterFirst.FailureReason);
        Assert.True(afterSecond.IsValid, afterSecond.FailureReason);
        Assert.Equal(3, _source.Fetches);
    }

    [Fact]
    public async Task Verify_BogusKidFlood_OneScheduledFetch()
    {
        Assert.True((await _verifier.VerifyAsync(_issuer.Issue(Sample), CancellationToken.None)).IsValid);

        var tokens = Enumerable.Range(0, 200).Select(_ => ForgeWithRandomKid()).ToList();

        // Each call runs synchronously up to its wait, so all 200 wait before the clock moves.
        var checks = tokens.Select(token => _verifier.VerifyAsync(token, CancellationToken.None).AsTask()).ToList();
        await ClockWaits.UntilTimerPendingAsync(_clock);
        Assert.All(checks, check => Assert.False(check.IsCompleted));
        _clock.Advance(AssertionKeySet.MinFetchInterval);
        var results = await Task.WhenAll(checks);

        Assert.All(results, check => Assert.Equal("unknown edge assertion key", check.FailureReason));
        Assert.Equal(2, _source.Fetches);
    }

    [Fact]
    public async Task Verify_CancelledWhileWaiting_Throws()
    {
        Assert.True((await _verifier.VerifyAsync(_issuer.Issue(Sample), CancellationToken.None)).IsValid);
        using var cancellation = new CancellationTokenSource();

        var pending = _verifier.VerifyAsync(ForgeWithRandomKid(), cancellation.Token).AsTask();
        await ClockWaits.UntilTimerPendingAsync(_clock);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.Equal(1, _source.Fetches);
        _clock.Advance(AssertionKeySet.MinFetchInterval);
        await ClockWaits.UntilAsync(() => _source.Fetches == 2, "the shared fetch");
    }

    private string ForgeWithRandomKid()
    {
        var key = new ECDsaSecurityKey(ForgerKey) { KeyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) };
        var now = _clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = EdgeAssertion.Issuer,
            Audience = EdgeAssertion.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddSeconds(60),
            Claims = new Dictionary<string, object> { ["rid"] = "r", ["cip"] = "192.0.2.1", ["dec"] = "allow" },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
    }

    private static readonly ECDsa ForgerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
}
