using System.Net;
using System.Text.Json;

namespace Gatehouse.DevStack.Tests.Identity;

public sealed class DevIssuerPasswordGrantTests(DevIssuerFixture fixture) : IClassFixture<DevIssuerFixture>
{
    private async Task<JsonElement> AccessTokenPayloadAsync(string user)
    {
        var (status, body) = await fixture.PasswordGrantAsync(user, user);
        Assert.Equal(HttpStatusCode.OK, status);
        return DevIssuerFixture.DecodePayload(body.GetProperty("access_token").GetString()!);
    }

    [Theory]
    [InlineData("alice", new[] { "staff" })]
    [InlineData("bob", new[] { "staff", "admin" })]
    public async Task PasswordGrant_UserWithGroups_GroupsIsJsonArray(string user, string[] expected)
    {
        var payload = await AccessTokenPayloadAsync(user);

        var groups = payload.GetProperty("groups");
        Assert.Equal(JsonValueKind.Array, groups.ValueKind);
        Assert.Equal(expected, groups.EnumerateArray().Select(group => group.GetString()).ToArray());
    }

    [Fact]
    public async Task PasswordGrant_Carol_HasNoGroups()
    {
        var payload = await AccessTokenPayloadAsync("carol");

        var hasGroups = payload.TryGetProperty("groups", out var groups);
        Assert.True(!hasGroups || groups.GetArrayLength() == 0, $"carol has groups: {groups}");
    }

    [Fact]
    public async Task PasswordGrant_Alice_StandardClaimsExact()
    {
        var payload = await AccessTokenPayloadAsync("alice");

        Assert.Equal(fixture.Issuer.IssuerUri.ToString(), payload.GetProperty("iss").GetString());
        Assert.Equal("alice", payload.GetProperty("sub").GetString());
        var audience = payload.GetProperty("aud");
        string?[] audiences = audience.ValueKind == JsonValueKind.Array
            ? [.. audience.EnumerateArray().Select(item => item.GetString())]
            : [audience.GetString()];
        Assert.Equal(new[] { "gatehouse" }, audiences);
        Assert.Equal("Alice Example", payload.GetProperty("name").GetString());
        Assert.Contains("groups", payload.GetProperty("scope").GetString()!.Split(' '));
    }

    [Fact]
    public async Task PasswordGrant_Alice_TimesCoverOneHour()
    {
        var payload = await AccessTokenPayloadAsync("alice");

        var issuedAt = payload.GetProperty("iat").GetInt64();
        var notBefore = payload.GetProperty("nbf").GetInt64();
        var expires = payload.GetProperty("exp").GetInt64();
        Assert.True(notBefore <= issuedAt, $"nbf {notBefore} is after iat {issuedAt}");
        Assert.Equal(3600, expires - issuedAt);
    }

    [Fact]
    public async Task PasswordGrant_Alice_HeaderIsRs256WithKeyId()
    {
        var (_, body) = await fixture.PasswordGrantAsync("alice", "alice");

        var header = DevIssuerFixture.DecodeHeader(body.GetProperty("access_token").GetString()!);
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.False(string.IsNullOrEmpty(header.GetProperty("kid").GetString()));
    }

    [Theory]
    [InlineData("alice", "bob")]
    [InlineData("alice", "")]
    [InlineData("alice", "ALICE")]
    [InlineData("mallory", "mallory")]
    [InlineData("", "")]
    public async Task PasswordGrant_BadCredentials_InvalidGrant(string user, string password)
    {
        var (status, body) = await fixture.PasswordGrantAsync(user, password);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
        Assert.False(body.TryGetProperty("access_token", out _));
    }

    [Theory]
    [InlineData("someone-else")]
    [InlineData("gatehouse-edge")]
    public async Task PasswordGrant_WrongClient_Rejected(string clientId)
    {
        var (status, body) = await fixture.PostTokenAsync(
            ("grant_type", "password"), ("client_id", clientId), ("username", "bob"), ("password", "bob"));

        Assert.NotEqual(HttpStatusCode.OK, status);
        Assert.False(body.TryGetProperty("access_token", out _));
        Assert.Contains(body.GetProperty("error").GetString(), new[] { "invalid_client", "unauthorized_client" });
    }

    [Fact]
    public async Task PasswordGrant_ClientSecret_InvalidClient()
    {
        var (status, body) = await fixture.PostTokenAsync(("grant_type", "password"), ("client_id", "gatehouse-cli"),
            ("client_secret", "x"), ("username", "bob"), ("password", "bob"));

        Assert.NotEqual(HttpStatusCode.OK, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task PasswordGrant_OfflineAccess_RefreshTokenWorks()
    {
        var (_, first) = await fixture.PasswordGrantAsync("bob", "bob");
        var refreshToken = first.GetProperty("refresh_token").GetString()!;

        var (status, second) = await fixture.PostTokenAsync(
            ("grant_type", "refresh_token"), ("client_id", "gatehouse-cli"), ("refresh_token", refreshToken));

        Assert.Equal(HttpStatusCode.OK, status);
        var payload = DevIssuerFixture.DecodePayload(second.GetProperty("access_token").GetString()!);
        Assert.Equal("bob", payload.GetProperty("sub").GetString());
        Assert.Equal(2, payload.GetProperty("groups").GetArrayLength());
    }
}
