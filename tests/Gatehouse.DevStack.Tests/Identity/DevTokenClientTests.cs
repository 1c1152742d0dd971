using System.Net;
using System.Net.Sockets;
using Gatehouse.DevStack.Identity;

namespace Gatehouse.DevStack.Tests.Identity;

public sealed class DevTokenClientTests(DevIssuerFixture fixture) : IClassFixture<DevIssuerFixture>
{
    [Fact]
    public async Task RequestAccessToken_DefaultPassword_ReturnsJwtForUser()
    {
        var token = await DevTokenClient.RequestAccessTokenAsync(
            fixture.Issuer.IssuerUri, "alice", null, fixture.Http, CancellationToken.None);

        var payload = DevIssuerFixture.DecodePayload(token);
        Assert.Equal("alice", payload.GetProperty("sub").GetString());
        Assert.Equal(fixture.Issuer.IssuerUri.ToString(), payload.GetProperty("iss").GetString());
    }

    [Fact]
    public async Task RequestAccessToken_UnknownUser_ExplainsDemoUsers()
    {
        var exception = await Assert.ThrowsAsync<DevTokenRequestException>(() =>
            DevTokenClient.RequestAccessTokenAsync(
                fixture.Issuer.IssuerUri, "mallory", null, fixture.Http, CancellationToken.None));

        Assert.Equal("invalid_grant", exception.OAuthError);
        Assert.Contains("'mallory'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("alice, bob and carol", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestAccessToken_WrongPassword_InvalidGrant()
    {
        var exception = await Assert.ThrowsAsync<DevTokenRequestException>(() =>
            DevTokenClient.RequestAccessTokenAsync(
                fixture.Issuer.IssuerUri, "bob", "alice", fixture.Http, CancellationToken.None));

        Assert.Equal("invalid_grant", exception.OAuthError);
    }

    [Fact]
    public async Task RequestAccessToken_NoIssuer_SuggestsGatehouseUp()
    {
        // Bind and release a port so that nothing listens on it for the request.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var issuer = new Uri($"http://127.0.0.1:{port}/");

        var exception = await Assert.ThrowsAsync<DevTokenRequestException>(() =>
            DevTokenClient.RequestAccessTokenAsync(issuer, "alice", null, fixture.Http, CancellationToken.None));

        Assert.StartsWith($"No dev issuer answering at {issuer}; start it with ./gatehouse up", exception.Message,
            StringComparison.Ordinal);
        Assert.Null(exception.OAuthError);
    }
}
