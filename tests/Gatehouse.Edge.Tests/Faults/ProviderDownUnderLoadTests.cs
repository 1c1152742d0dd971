using System.Net;
using System.Net.Http.Headers;
using Gatehouse.DevStack.Identity;
using Gatehouse.Edge.Tests.MultiNode;
using Gatehouse.Edge.Tests.Support;
using Gatehouse.Trust.Identity;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Edge.Tests.Faults;

/// <summary>
/// A real dev issuer is stopped while token traffic runs through a real edge with browser sign-in, and a browser
/// then tries to sign in.
/// </summary>
public sealed class ProviderDownUnderLoadTests
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ProviderDown_UnderLoad_TokensServeSignIn502()
    {
        var issuer = await DevIssuer.StartAsync(
            new DevIssuerOptions { ListenAddress = "127.0.0.1:0" }, NullLoggerFactory.Instance, CancellationToken.None);
        var issuerStopped = false;
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = ClientTimeout };
        try
        {
            await using var edge = await StartEdgeAsync(issuer.IssuerUri);
            var validated = await DevTokenClient.RequestAccessTokenAsync(issuer.IssuerUri, "alice", null, http, CancellationToken.None);
            var notYetSeen = await DevTokenClient.RequestAccessTokenAsync(issuer.IssuerUri, "bob", null, http, CancellationToken.None);
            Assert.Equal(200, await GetWithTokenAsync(http, edge.Address, validated));

            await issuer.DisposeAsync();
            issuerStopped = true;

            // Both tokens keep working on the keys the edge fetched before the outage.
            string[] tokens = [validated, notYetSeen];
            await using var load = SteadyLoad.Start(2, 200, (loop, i) => GetWithTokenAsync(http, edge.Address, tokens[(loop + i) % 2]));
            await load.WaitForMoreAsync(20);

            using var signIn = await BrowserGetAsync(http, edge.Address);
            var body = await signIn.Content.ReadAsStringAsync();

            await load.WaitForMoreAsync(20);
            Assert.Empty(await load.StopAsync());

            Assert.Equal(HttpStatusCode.BadGateway, signIn.StatusCode);
            Assert.Equal("sign-in provider unavailable\n", body);
            Assert.Equal("text/plain; charset=utf-8", signIn.Content.Headers.ContentType?.ToString());
            Assert.True(signIn.Headers.CacheControl?.NoStore, "the error page must not be cached");
            Assert.False(signIn.Headers.Contains("Set-Cookie"), "no sign-in correlation cookie without a redirect");

            var record = await DecisionWait.ForAsync(edge.Decisions, "error");
            Assert.Equal("/api/resource", record.Path);
            Assert.Equal("sign-in provider unavailable", record.Reason);
            Assert.Equal(502, record.Status);
        }
        finally
        {
            if (!issuerStopped)
            {
                await issuer.DisposeAsync();
            }
        }
    }

    private static Task<EdgeUnderTest> StartEdgeAsync(Uri issuer)
    {
        var provider = new OidcProviderOptions { Issuer = issuer.ToString(), Audience = "gatehouse", AllowHttp = true };
        var toml = $"""
            [[providers]]
            issuer = "{issuer}"
            audience = "gatehouse"
            allow_http = true

            [sessions]
            provider = "{issuer}"
            client_id = "gatehouse-edge"

            [[routes]]
            prefix = "/api/"
            kind = "protected"
            """;
        return EdgeUnderTest.StartAsync(
            toml, logs => new OidcTokenValidator([provider], httpClient: null, TimeProvider.System, logs.CreateLogger("Gatehouse.Trust")));
    }

    private static async Task<int> GetWithTokenAsync(HttpClient http, Uri edge, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(edge, "/api/resource"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
    }

    // A browser's navigation: GET with text/html first in Accept, no token and no session cookie.
    private static async Task<HttpResponseMessage> BrowserGetAsync(HttpClient http, Uri edge)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(edge, "/api/resource"));
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml;q=0.9,*/*;q=0.8");
        return await http.SendAsync(request);
    }
}
