using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Trust.Assertions;
using Gatehouse.Trust.Keys;
using Gatehouse.Trust.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Trust.Tests.Assertions;

public sealed class EdgeAssertionTests : IDisposable
{
    private static readonly EdgeAssertion Sample =
        new("req-1", "203.0.113.7", "alice", ["staff", "admins"], "B", "allow");

    private readonly TempDirectory _temp = new();
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly KeyRing _ring;
    private readonly EdgeAssertionIssuer _issuer;
    private readonly CountingJwksSource _source;
    private readonly JwksAssertionVerifier _verifier;

    public EdgeAssertionTests()
    {
        _ring = KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);
        _issuer = new EdgeAssertionIssuer(_ring, TimeSpan.FromSeconds(60), _clock);
        _source = new CountingJwksSource(new KeyRingJwksSource(_ring));
        _verifier = new JwksAssertionVerifier(_source, _clock, NullLogger.Instance);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Verify_KeyRingSource_ReturnsAllFields()
    {
        var check = await _verifier.VerifyAsync(_issuer.Issue(Sample), CancellationToken.None);

        Assert.True(check.IsValid, check.FailureReason);
        var assertion = check.Assertion!;
        Assert.Equal(Sample.RequestId, assertion.RequestId);
        Assert.Equal(Sample.ClientAddress, assertion.ClientAddress);
        Assert.Equal(Sample.Subject, assertion.Subject);
        Assert.Equal(Sample.Groups, assertion.Groups);
        Assert.Equal(Sample.Variant, assertion.Variant);
        Assert.Equal(Sample.Decision, assertion.Decision);
    }

    [Fact]
    public async Task Verify_Anonymous_ReturnsNoSubject()
    {
        var anonymous = new EdgeAssertion("req-2", "198.51.100.1", null, [], null, "allow");

        var check = await _verifier.VerifyAsync(_issuer.Issue(anonymous), CancellationToken.None);

        Assert.True(check.IsValid, check.FailureReason);
        Assert.Null(check.Assertion!.Subject);
        Assert.Null(check.Assertion.Variant);
        Assert.Empty(check.Assertion.Groups);
    }

    [Fact]
    public void Issue_Token_CarriesRegisteredClaimsAndKeyId()
    {
        var jwt = new JsonWebToken(_issuer.Issue(Sample));

        Assert.Equal("ES256", jwt.Alg);
        Assert.Equal(_ring.CurrentKeyId, jwt.Kid);
        Assert.Equal(EdgeAssertion.Issuer, jwt.Issuer);
        Assert.Equal([EdgeAssertion.Audience], jwt.Audiences);
        Assert.Equal(TimeSpan.FromSeconds(60), jwt.ValidTo - jwt.ValidFrom);
        Assert.False(string.IsNullOrEmpty(jwt.Id));
        Assert.NotEqual(jwt.Id, new JsonWebToken(_issuer.Issue(Sample)).Id);
    }

    [Fact]
    public async Task Verify_HttpJwksSource_ReturnsAssertion()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapGet("/jwks", () => Results.Text(_ring.PublicJwksJson(), "application/json")));
        using var http = new HttpClient();
        var verifier = new JwksAssertionVerifier(
            new HttpJwksSource(new Uri(server.BaseAddress, "jwks"), http), _clock, NullLogger.Instance);

        var check = await verifier.VerifyAsync(_issuer.Issue(Sample), CancellationToken.None);

        Assert.True(check.IsValid, check.FailureReason);
        Assert.Equal(Sample.RequestId, check.Assertion!.RequestId);
    }

    [Fact]
    public async Task Verify_AfterRotation_RefetchesAndAccepts()
    {
        Assert.True((await _verifier.VerifyAsync(_issuer.Issue(Sample), CancellationToken.None)).IsValid);
        _clock.Advance(TimeSpan.FromSeconds(6));
        _ring.Rotate();

        var check = await _verifier.VerifyAsync(_issuer.Issue(Sample), CancellationToken.None);

        Assert.True(check.IsValid, check.FailureReason);
        Assert.Equal(2, _source.Fetches);
    }

    [Fact]
    public async Task Verify_UnknownKidFlood_FetchesOncePerInterval()
    {
        Assert.True((await _verifier.VerifyAsync(_issuer.Issue(Sample), CancellationToken.None)).IsValid);
        _clock.Advance(TimeSpan.FromSeconds(6));
        using var strangers = new TempDirectory();
        var foreignIssuer = new EdgeAssertionIssuer(KeyRing.OpenDirectory(strangers.KeyDirectory, null, _clock), null, _clock);

        // The first unknown kid fetches at once; the others wait for one fetch 5 s later on the manual clock.
        var checks = Enumerable.Range(0, 50)
            .Select(_ => _verifier.VerifyAsync(foreignIssuer.Issue(Sample), CancellationToken.None).AsTask())
            .ToList();
        await ClockWaits.UntilTimerPendingAsync(_clock);
        _clock.Advance(AssertionKeySet.MinFetchInterval);

        foreach (var check in await Task.WhenAll(checks))
        {
            Assert.Equal("unknown edge assertion key", check.FailureReason);
        }

        Assert.Equal(3, _source.Fetches);
    }

    [Fact]
    public async Task Verify_SourceDown_KeepsUsingCachedKeys()
    {
        Assert.True((await _verifier.VerifyAsync(_issuer.Issue(Sample), CancellationToken.None)).IsValid);
        _source.Fail = true;
        _clock.Advance(TimeSpan.FromMinutes(2));

        var check = await _verifier.VerifyAsync(_issuer.Issue(Sample), CancellationToken.None);

        Assert.True(check.IsValid, check.FailureReason);
    }

    [Fact]
    public async Task Verify_RetiredKeyAfterRefetch_RejectsUnknownKey()
    {
        var oldToken = _issuer.Issue(Sample);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var oldKey = _ring.CurrentKeyId;
        _ring.Rotate();
        _ring.Retire(oldKey);

        var check = await _verifier.VerifyAsync(oldToken, CancellationToken.None);

        Assert.Equal("unknown edge assertion key", check.FailureReason);
    }

    [Fact]
    public async Task Verify_Expired_RejectsAsExpired()
    {
        var token = _issuer.Issue(Sample);
        Assert.True((await _verifier.VerifyAsync(token, CancellationToken.None)).IsValid);
        _clock.Advance(TimeSpan.FromSeconds(60) + JwksAssertionVerifier.ClockSkew + TimeSpan.FromSeconds(1));

        var check = await _verifier.VerifyAsync(token, CancellationToken.None);

        Assert.Equal("expired edge assertion", check.FailureReason);
    }

    [Fact]
    public async Task Verify_WithinClockSkewAfterExpiry_Accepts()
    {
        var token = _issuer.Issue(Sample);
        _clock.Advance(TimeSpan.FromSeconds(63));

        var check = await _verifier.VerifyAsync(token, CancellationToken.None);

        Assert.True(check.IsValid, check.FailureReason);
    }

    [Fact]
    public async Task Verify_TamperedPayload_RejectsSignature()
    {
        var parts = _issuer.Issue(Sample).Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!;
        payload["dec"] = "allow-everything";
        var tampered = parts[0] + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString())) + "." + parts[2];

        var check = await _verifier.VerifyAsync(tampered, CancellationToken.None);

        Assert.Equal("invalid edge assertion signature", check.FailureReason);
    }

    [Fact]
    public async Task Verify_ForgedUnderKnownKid_RejectsSignature()
    {
        var forger = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = _ring.CurrentKeyId };
        var forged = Forge(new SigningCredentials(forger, SecurityAlgorithms.EcdsaSha256));

        var check = await _verifier.VerifyAsync(forged, CancellationToken.None);

        Assert.Equal("invalid edge assertion signature", check.FailureReason);
    }

    [Fact]
    public async Task Verify_Hs256_RejectsAlgorithm()
    {
        var secret = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = _ring.CurrentKeyId };
        var forged = Forge(new SigningCredentials(secret, SecurityAlgorithms.HmacSha256));

        var check = await _verifier.VerifyAsync(forged, CancellationToken.None);

        Assert.Equal("edge assertion algorithm not allowed", check.FailureReason);
    }

    [Fact]
    public async Task Verify_WrongAudience_Rejects()
    {
        var forged = Forge(_ring.CurrentSigningCredentials, audience: "someone-else");

        var check = await _verifier.VerifyAsync(forged, CancellationToken.None);

        Assert.Equal("wrong edge assertion audience", check.FailureReason);
    }

    [Theory]
    [InlineData("", "missing edge assertion")]
    [InlineData("abc.def", "malformed edge assertion")]
    [InlineData("a.b.c.d", "malformed edge assertion")]
    [InlineData("not a token at all", "malformed edge assertion")]
    public async Task Verify_BadInput_RejectsWithReason(string token, string reason)
    {
        var check = await _verifier.VerifyAsync(token, CancellationToken.None);

        Assert.False(check.IsValid);
        Assert.Equal(reason, check.FailureReason);
    }

    [Fact]
    public async Task Verify_LongerThanLimit_RejectsBeforeParsing()
    {
        var check = await _verifier.VerifyAsync(new string('a', JwksAssertionVerifier.MaxTokenLength + 1), CancellationToken.None);

        Assert.Equal("edge assertion too large", check.FailureReason);
        Assert.Equal(0, _source.Fetches);
    }

    [Fact]
    public async Task Verify_SameTokenTwice_SecondIsCacheHit()
    {
        var token = _issuer.Issue(Sample);
        var first = await _verifier.VerifyAsync(token, CancellationToken.None);

        var second = await _verifier.VerifyAsync(token, CancellationToken.None);

        Assert.True(second.IsValid, second.FailureReason);
        // A fresh verification builds a new assertion object; only the cache returns the same one.
        Assert.Same(first.Assertion, second.Assertion);
        Assert.Equal(1, _verifier.CachedCount);
    }

    private string Forge(SigningCredentials credentials, string audience = EdgeAssertion.Audience)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = EdgeAssertion.Issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddSeconds(60),
            Claims = new Dictionary<string, object> { ["rid"] = "r", ["cip"] = "192.0.2.1", ["dec"] = "allow" },
            SigningCredentials = credentials,
        });
    }
}
