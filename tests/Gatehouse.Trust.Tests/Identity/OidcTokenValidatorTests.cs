using System.Buffers.Text;
using System.Text;
using Gatehouse.Trust.Identity;
using Gatehouse.Trust.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Trust.Tests.Identity;

public sealed class OidcTokenValidatorTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = new();
    private TestOidcProvider _provider = null!;

    public async Task InitializeAsync() => _provider = await TestOidcProvider.StartAsync();

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Validate_Rs256_ReturnsSubjectAndGroups()
    {
        var check = await CreateValidator().ValidateAsync(_provider.MintRs256(), CancellationToken.None);

        Assert.Equal(TokenFailure.None, check.Failure);
        Assert.Equal("alice", check.Subject);
        Assert.Equal(["staff", "admins"], check.Groups);
        Assert.Equal(_provider.Issuer, check.Issuer);
    }

    [Fact]
    public async Task Validate_Es256_ReturnsValid()
    {
        var token = _provider.Mint(_provider.EcKey, SecurityAlgorithms.EcdsaSha256);

        var check = await CreateValidator().ValidateAsync(token, CancellationToken.None);

        Assert.Equal(TokenFailure.None, check.Failure);
        Assert.Equal("alice", check.Subject);
    }

    [Fact]
    public async Task Validate_NestedGroupsClaim_WalksDottedPath()
    {
        var token = _provider.MintRs256(d => d.Claims["realm_access"] =
            new Dictionary<string, object> { ["roles"] = new[] { "realm-admin", "viewer" } });

        var check = await CreateValidator(groupsClaim: "realm_access.roles").ValidateAsync(token, CancellationToken.None);

        Assert.Equal(TokenFailure.None, check.Failure);
        Assert.Equal(["realm-admin", "viewer"], check.Groups);
    }

    [Fact]
    public async Task Validate_GroupsClaimAsString_ReturnsOneGroup()
    {
        var token = _provider.MintRs256(d => d.Claims["groups"] = "staff");

        var check = await CreateValidator().ValidateAsync(token, CancellationToken.None);

        Assert.Equal(["staff"], check.Groups);
    }

    [Fact]
    public async Task Validate_SameTokenTwice_SecondIsCacheHit()
    {
        var validator = CreateValidator();
        var token = _provider.MintRs256();
        var first = await validator.ValidateAsync(token, CancellationToken.None);

        var second = await validator.ValidateAsync(token, CancellationToken.None);

        Assert.Equal(TokenFailure.None, second.Failure);
        // A fresh validation reads a new groups list; only the cache returns the same one.
        Assert.Same(first.Groups, second.Groups);
        Assert.Equal(1, validator.CachedCount);
    }

    [Fact]
    public async Task Validate_ProviderRotatesKeys_RefreshesAndAccepts()
    {
        var validator = CreateValidator();
        Assert.True((await validator.ValidateAsync(_provider.MintRs256(), CancellationToken.None)).IsValid);
        var rotated = _provider.SpareRsaKey;
        _provider.Publish(rotated, _provider.EcKey);

        var check = await validator.ValidateAsync(_provider.Mint(rotated, SecurityAlgorithms.RsaSha256), CancellationToken.None);

        Assert.Equal(TokenFailure.None, check.Failure);
        Assert.Equal(2, _provider.JwksRequests);
    }

    [Fact]
    public async Task Validate_UnknownKidAfterRefresh_RejectsUnknownKey()
    {
        var validator = CreateValidator();
        Assert.True((await validator.ValidateAsync(_provider.MintRs256(), CancellationToken.None)).IsValid);
        var stranger = new RsaSecurityKey(_provider.SpareRsaKey.Rsa) { KeyId = "rsa-unknown" };

        var check = await validator.ValidateAsync(_provider.Mint(stranger, SecurityAlgorithms.RsaSha256), CancellationToken.None);
        var again = await validator.ValidateAsync(_provider.Mint(stranger, SecurityAlgorithms.RsaSha256), CancellationToken.None);

        Assert.Equal(TokenFailure.UnknownKey, check.Failure);
        Assert.Equal(TokenFailure.UnknownKey, again.Failure);
        // One refresh for the first unknown kid; the second falls inside the 5-second limit.
        Assert.Equal(2, _provider.JwksRequests);
    }

    [Fact]
    public async Task Validate_ProviderDown_UsesCachedKeys()
    {
        var validator = CreateValidator();
        Assert.True((await validator.ValidateAsync(_provider.MintRs256(), CancellationToken.None)).IsValid);
        var token = _provider.MintRs256();
        await _provider.StopAsync();

        var check = await validator.ValidateAsync(token, CancellationToken.None);

        Assert.Equal(TokenFailure.None, check.Failure);
    }

    [Fact]
    public async Task Validate_ProviderNeverReachable_RejectsProviderUnavailable()
    {
        var token = _provider.MintRs256();
        await _provider.StopAsync();

        var check = await CreateValidator().ValidateAsync(token, CancellationToken.None);

        Assert.Equal(TokenFailure.ProviderUnavailable, check.Failure);
    }

    [Fact]
    public async Task Validate_AlgNone_RejectsAlgorithm()
    {
        var header = Encode("""{"alg":"none","typ":"JWT"}""");
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        var payload = Encode($$"""{"iss":"{{_provider.Issuer}}","aud":"{{TestOidcProvider.Audience}}","sub":"alice","exp":{{exp}}}""");

        var check = await CreateValidator().ValidateAsync(header + "." + payload + ".", CancellationToken.None);

        Assert.Equal(TokenFailure.AlgorithmNotAllowed, check.Failure);
    }

    [Fact]
    public async Task Validate_Hs256PublicKeySecret_RejectsAlgorithm()
    {
        var publicKey = _provider.RsaKey.Rsa.ExportSubjectPublicKeyInfoPem();
        var secret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(publicKey)) { KeyId = _provider.RsaKey.KeyId };
        var token = _provider.Mint(secret, SecurityAlgorithms.HmacSha256);

        var check = await CreateValidator().ValidateAsync(token, CancellationToken.None);

        Assert.Equal(TokenFailure.AlgorithmNotAllowed, check.Failure);
    }

    [Theory]
    [InlineData('+')]
    [InlineData('/')]
    [InlineData('=')]
    [InlineData('!')]
    public async Task Validate_SignatureWithNonBase64UrlCharacter_RejectsMalformed(char bad)
    {
        var token = _provider.MintRs256();
        var corrupted = token[..^2] + bad + token[^1];

        var check = await CreateValidator().ValidateAsync(corrupted, CancellationToken.None);

        Assert.Equal(TokenFailure.Malformed, check.Failure);
    }

    [Fact]
    public async Task Validate_TwoSegments_RejectsMalformed()
    {
        var token = _provider.MintRs256();

        var check = await CreateValidator().ValidateAsync(token[..token.LastIndexOf('.')], CancellationToken.None);

        Assert.Equal(TokenFailure.Malformed, check.Failure);
    }

    [Fact]
    public async Task Validate_FourSegments_RejectsMalformed()
    {
        var check = await CreateValidator().ValidateAsync(_provider.MintRs256() + ".AAAA", CancellationToken.None);

        Assert.Equal(TokenFailure.Malformed, check.Failure);
    }

    [Fact]
    public async Task Validate_TamperedSignature_RejectsBadSignature()
    {
        var token = _provider.MintRs256();
        var signatureStart = token.LastIndexOf('.') + 1;
        var flipped = token[signatureStart] == 'A' ? 'B' : 'A';
        var tampered = token[..signatureStart] + flipped + token[(signatureStart + 1)..];

        var check = await CreateValidator().ValidateAsync(tampered, CancellationToken.None);

        Assert.Equal(TokenFailure.BadSignature, check.Failure);
    }

    [Fact]
    public async Task Validate_Expired_RejectsExpired()
    {
        var now = DateTime.UtcNow;
        var token = _provider.MintRs256(d =>
        {
            d.IssuedAt = now.AddMinutes(-10);
            d.NotBefore = now.AddMinutes(-10);
            d.Expires = now.AddMinutes(-5);
        });

        var check = await CreateValidator().ValidateAsync(token, CancellationToken.None);

        Assert.Equal(TokenFailure.Expired, check.Failure);
    }

    [Fact]
    public async Task Validate_FutureNbf_RejectsNotYetValid()
    {
        var now = DateTime.UtcNow;
        var token = _provider.MintRs256(d =>
        {
            d.NotBefore = now.AddMinutes(5);
            d.Expires = now.AddMinutes(10);
        });

        var check = await CreateValidator().ValidateAsync(token, CancellationToken.None);

        Assert.Equal(TokenFailure.NotYetValid, check.Failure);
    }

    [Fact]
    public async Task Validate_UnknownIssuer_RejectsWrongIssuer()
    {
        var token = _provider.MintRs256(d => d.Issuer = "https://evil.example");

        var check = await CreateValidator().ValidateAsync(token, CancellationToken.None);

        Assert.Equal(TokenFailure.WrongIssuer, check.Failure);
    }

    [Fact]
    public async Task Validate_WrongAudience_RejectsWrongAudience()
    {
        var token = _provider.MintRs256(d => d.Audience = "another-app");

        var check = await CreateValidator().ValidateAsync(token, CancellationToken.None);

        Assert.Equal(TokenFailure.WrongAudience, check.Failure);
    }

    [Fact]
    public async Task Validate_OverLimit_RejectsTooLarge()
    {
        var huge = new string('a', OidcTokenValidator.MaxTokenLength + 1);

        var check = await CreateValidator().ValidateAsync(huge, CancellationToken.None);

        Assert.Equal(TokenFailure.TooLarge, check.Failure);
        Assert.Equal(0, _provider.JwksRequests);
    }

    [Fact]
    public async Task Validate_Empty_RejectsMissing()
    {
        var check = await CreateValidator().ValidateAsync("", CancellationToken.None);

        Assert.Equal(TokenFailure.Missing, check.Failure);
    }

    [Fact]
    public void Constructor_ProviderAllowsHs256_Throws()
    {
        var options = new OidcProviderOptions
        {
            Issuer = "https://idp.example",
            Audience = "app",
            Algorithms = ["RS256", "HS256"],
        };

        var error = Assert.Throws<ArgumentException>(() =>
            new OidcTokenValidator([options], _http, TimeProvider.System, NullLogger.Instance));

        Assert.Contains("HS256", error.Message, StringComparison.Ordinal);
    }

    private OidcTokenValidator CreateValidator(string groupsClaim = "groups")
    {
        var options = new OidcProviderOptions
        {
            Issuer = _provider.Issuer,
            Audience = TestOidcProvider.Audience,
            AllowHttp = true,
            GroupsClaim = groupsClaim,
        };
        return new OidcTokenValidator([options], _http, TimeProvider.System, NullLogger.Instance);
    }

    private static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
