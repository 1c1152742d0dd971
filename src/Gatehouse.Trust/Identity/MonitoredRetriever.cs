using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Gatehouse.Trust.Identity;

/// <summary>
/// Wraps the discovery retriever so an outage after the first success is visible: ConfigurationManager keeps
/// serving its cached keys when a refresh fails and reports nothing. Logs once when a refresh first fails
/// and once when one succeeds again. It never logs a token.
/// </summary>
internal sealed class MonitoredRetriever(
    IConfigurationRetriever<OpenIdConnectConfiguration> inner, string issuer, ILogger logger)
    : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    private const int NeverFetched = 0;
    private const int Healthy = 1;
    private const int Failing = 2;

    private int _state = NeverFetched;

    /// <summary>True while refreshes fail after an earlier success, so the provider serves cached keys.</summary>
    public bool IsServingCachedKeys => Volatile.Read(ref _state) == Failing;

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(
        string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await inner.GetConfigurationAsync(address, retriever, cancel);
        }
        catch (Exception exception) when (!cancel.IsCancellationRequested)
        {
            // Before the first success GetConfigurationAsync itself fails and OidcProvider logs that.
            if (Interlocked.CompareExchange(ref _state, Failing, Healthy) == Healthy)
            {
                TrustLog.OidcRefreshFailing(logger, issuer, exception.GetType().Name, exception.Message);
            }

            throw;
        }

        if (Interlocked.Exchange(ref _state, Healthy) == Failing)
        {
            TrustLog.OidcRefreshRecovered(logger, issuer);
        }

        return configuration;
    }
}
