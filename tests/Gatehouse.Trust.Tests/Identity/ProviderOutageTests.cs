using Gatehouse.Trust.Identity;
using Gatehouse.Trust.Tests.TestSupport;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Gatehouse.Trust.Tests.Identity;

public sealed class ProviderOutageTests
{
    private const int RefreshFailing = 4050;
    private const int RefreshRecovered = 4051;

    [Fact]
    public async Task Refresh_ProviderStopped_ServesCachedKeys()
    {
        await using var issuer = await TestOidcProvider.StartAsync();
        var logger = new EventIdLogger();
        using var http = new HttpClient();
        var provider = new OidcProvider(
            new OidcProviderOptions { Issuer = issuer.Issuer, Audience = TestOidcProvider.Audience, AllowHttp = true },
            http, TimeProvider.System, logger);
        var first = await provider.GetConfigurationAsync(CancellationToken.None);
        await issuer.StopAsync();

        var during = await provider.RefreshForUnknownKeyAsync("unknown-key", CancellationToken.None);
        await provider.RefreshForUnknownKeyAsync("unknown-key", CancellationToken.None);

        Assert.NotNull(first);
        Assert.Same(first, during);
        Assert.Equal(1, logger.Count(RefreshFailing));
        Assert.Equal(0, logger.Count(RefreshRecovered));
    }

    [Fact]
    public async Task Retriever_FailThenSucceed_LogsEachOnce()
    {
        var inner = new ScriptedRetriever();
        var logger = new EventIdLogger();
        var retriever = new MonitoredRetriever(inner, "https://login.example.test/", logger);

        await retriever.GetConfigurationAsync("address", null!, CancellationToken.None);
        inner.Failing = true;
        await Assert.ThrowsAsync<IOException>(() => retriever.GetConfigurationAsync("address", null!, CancellationToken.None));
        await Assert.ThrowsAsync<IOException>(() => retriever.GetConfigurationAsync("address", null!, CancellationToken.None));
        var servingDuringOutage = retriever.IsServingCachedKeys;
        inner.Failing = false;
        await retriever.GetConfigurationAsync("address", null!, CancellationToken.None);
        await retriever.GetConfigurationAsync("address", null!, CancellationToken.None);

        Assert.True(servingDuringOutage);
        Assert.False(retriever.IsServingCachedKeys);
        Assert.Equal(1, logger.Count(RefreshFailing));
        Assert.Equal(1, logger.Count(RefreshRecovered));
    }

    [Fact]
    public async Task Retriever_FirstFetchFails_LogsNoOutage()
    {
        var inner = new ScriptedRetriever { Failing = true };
        var logger = new EventIdLogger();
        var retriever = new MonitoredRetriever(inner, "https://login.example.test/", logger);

        await Assert.ThrowsAsync<IOException>(() => retriever.GetConfigurationAsync("address", null!, CancellationToken.None));

        Assert.Equal(0, logger.Count(RefreshFailing));
    }

    private sealed class ScriptedRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        public bool Failing { get; set; }

        public Task<OpenIdConnectConfiguration> GetConfigurationAsync(
            string address, IDocumentRetriever retriever, CancellationToken cancel) =>
            Failing ? Task.FromException<OpenIdConnectConfiguration>(new IOException("connection refused"))
                : Task.FromResult(new OpenIdConnectConfiguration());
    }
}
