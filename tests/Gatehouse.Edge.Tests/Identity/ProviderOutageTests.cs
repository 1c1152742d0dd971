using System.Net;

namespace Gatehouse.Edge.Tests.Identity;

// The dev issuer is stopped while a real edge keeps validating its tokens.
public sealed class ProviderOutageTests
{
    [Fact]
    public async Task Outage_CachedAndKnownKeyTokens_KeepWorking()
    {
        await using var stack = await IssuerStack.StartAsync();
        var validated = await stack.ValidatedTokenAsync("alice");
        var notYetSeen = await stack.TokenAsync("bob");

        await stack.StopIssuerAsync();
        using var cached = await stack.GetAsync(validated);
        using var knownKey = await stack.GetAsync(notYetSeen);

        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        Assert.Equal(HttpStatusCode.OK, knownKey.StatusCode);
    }

    [Fact]
    public async Task Outage_UnknownKeyDuringOutage_RejectedWithoutOpening()
    {
        await using var stack = await IssuerStack.StartAsync();
        var token = await stack.ValidatedTokenAsync("alice");

        await stack.StopIssuerAsync();
        stack.Time.Advance(TimeSpan.FromSeconds(6));
        using var unknown = await stack.GetAsync(IssuerStack.WithKeyId(token, "rotated-while-down"));

        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal("unknown signing key\n", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Outage_ProviderNeverReached_LoggedOnce()
    {
        await using var stack = await IssuerStack.StartAsync();
        var token = await stack.TokenAsync("alice");
        await stack.StopIssuerAsync();

        for (var i = 0; i < 5; i++)
        {
            using var response = await stack.GetAsync(token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("identity provider unavailable\n", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(1, stack.Edge.Logs.Count(IssuerStack.ConfigurationFailedEvent));
    }
}
