using System.Text.Json;
using Gatehouse.DevStack.Identity;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.DevStack.Tests.Identity;

// Each test rotates keys, so each starts its own issuer instead of sharing a fixture.
public sealed class DevIssuerRotationTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private DevIssuer _issuer = null!;

    public async Task InitializeAsync() =>
        _issuer = await DevIssuer.StartAsync(new DevIssuerOptions { ListenAddress = "127.0.0.1:0" }, NullLoggerFactory.Instance, CancellationToken.None);

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private async Task<List<string>> JwksKeyIdsAsync()
    {
        var json = await _http.GetStringAsync(new Uri(_issuer.IssuerUri, ".well-known/jwks"));
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString()!).ToList();
    }

    private async Task<string> TokenKeyIdAsync()
    {
        var (_, body) = await DevIssuerFixture.PostTokenAsync(
            _issuer.IssuerUri, _http, ("grant_type", "password"), ("client_id", "gatehouse-cli"), ("username", "alice"),
            ("password", "alice"), ("scope", "openid"));
        return DevIssuerFixture.DecodeHeader(body.GetProperty("access_token").GetString()!).GetProperty("kid").GetString()!;
    }

    [Fact]
    public async Task Rotate_NewKey_SignsAndBothArePublished()
    {
        var old = _issuer.CurrentSigningKeyId;

        var rotated = _issuer.RotateSigningKey();

        Assert.NotEqual(old, rotated);
        Assert.Equal(rotated, _issuer.CurrentSigningKeyId);
        Assert.Equal(rotated, await TokenKeyIdAsync());
        var published = await JwksKeyIdsAsync();
        Assert.Contains(old, published);
        Assert.Contains(rotated, published);
    }

    [Fact]
    public async Task Retire_OldKey_NoLongerPublished()
    {
        var old = _issuer.CurrentSigningKeyId;
        var rotated = _issuer.RotateSigningKey();

        _issuer.RetireSigningKey(old);

        Assert.Equal([rotated], await JwksKeyIdsAsync());
        Assert.Equal([rotated], _issuer.PublishedSigningKeyIds);
    }

    [Fact]
    public void Retire_CurrentKey_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => _issuer.RetireSigningKey(_issuer.CurrentSigningKeyId));
    }

    [Fact]
    public void Retire_UnknownKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => _issuer.RetireSigningKey("no-such-key"));
    }
}
