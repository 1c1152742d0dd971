using System.Text.Json;

namespace Gatehouse.DevStack.Tests.Identity;

public sealed class DevIssuerDiscoveryTests(DevIssuerFixture fixture) : IClassFixture<DevIssuerFixture>
{
    private async Task<JsonElement> GetJsonAsync(string relative)
    {
        using var response = await fixture.Http.GetAsync(new Uri(fixture.Issuer.IssuerUri, relative));
        Assert.True(response.IsSuccessStatusCode, $"GET {relative} returned {(int)response.StatusCode}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static List<string?> Strings(JsonElement document, string name) =>
        [.. document.GetProperty(name).EnumerateArray().Select(item => item.GetString())];

    [Fact]
    public void IssuerUri_PortZero_IsBoundLoopbackAddressWithSlash()
    {
        var issuer = fixture.Issuer.IssuerUri;
        Assert.Equal("http", issuer.Scheme);
        Assert.Equal("127.0.0.1", issuer.Host);
        Assert.NotEqual(0, issuer.Port);
        Assert.Equal("/", issuer.AbsolutePath);
        Assert.EndsWith("/", issuer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_Document_ListsEndpointsAndFlows()
    {
        var document = await GetJsonAsync(".well-known/openid-configuration");
        var issuer = fixture.Issuer.IssuerUri;

        Assert.Equal(issuer.ToString(), document.GetProperty("issuer").GetString());
        Assert.Equal(new Uri(issuer, "connect/token").ToString(), document.GetProperty("token_endpoint").GetString());
        Assert.Equal(new Uri(issuer, "connect/authorize").ToString(),
            document.GetProperty("authorization_endpoint").GetString());
        Assert.StartsWith(issuer.ToString(), document.GetProperty("jwks_uri").GetString(), StringComparison.Ordinal);
        Assert.Contains("password", Strings(document, "grant_types_supported"));
        Assert.Contains("authorization_code", Strings(document, "grant_types_supported"));
        Assert.Contains("refresh_token", Strings(document, "grant_types_supported"));
        Assert.Contains("S256", Strings(document, "code_challenge_methods_supported"));
        Assert.Contains("RS256", Strings(document, "id_token_signing_alg_values_supported"));
        Assert.Contains("groups", Strings(document, "scopes_supported"));
    }

    [Fact]
    public async Task Jwks_SigningKey_IsRsaWithKeyId()
    {
        var document = await GetJsonAsync(".well-known/openid-configuration");
        var jwksUri = new Uri(document.GetProperty("jwks_uri").GetString()!);
        var jwks = await GetJsonAsync(jwksUri.PathAndQuery.TrimStart('/'));

        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.Equal("RS256", key.GetProperty("alg").GetString());
        Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
        Assert.False(string.IsNullOrEmpty(key.GetProperty("n").GetString()));
        Assert.False(key.TryGetProperty("d", out _), "the JWKS must not publish the private exponent");
    }
}
