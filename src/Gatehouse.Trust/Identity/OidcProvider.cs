using System.Diagnostics;
using Gatehouse.Trust.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Trust.Identity;

/// <summary>
/// One trusted OIDC provider: its discovery document and JWKS, cached and refreshed by a
/// <see cref="ConfigurationManager{T}"/>, and the validation parameters built from them.
/// </summary>
internal sealed class OidcProvider
{
    /// <summary>Minimum time between two JWKS refreshes triggered by unknown key ids.</summary>
    public static readonly TimeSpan MinKeyRefreshInterval = TimeSpan.FromSeconds(5);

    // The manager refreshes in the background, so a caller waits at most this long for the new keys.
    private static readonly TimeSpan RefreshWait = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RefreshPollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan OutageLogInterval = TimeSpan.FromSeconds(30);

    private readonly ConfigurationManager<OpenIdConnectConfiguration> _manager;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private DateTimeOffset _lastKeyRefresh = DateTimeOffset.MinValue;
    private DateTimeOffset _lastOutageLog = DateTimeOffset.MinValue;
    private Task? _keyRefresh;
    private volatile ParametersForConfiguration? _parameters;

    public OidcProvider(OidcProviderOptions options, HttpClient? httpClient, TimeProvider timeProvider, ILogger logger)
    {
        Options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        var documentRetriever = httpClient is null ? new HttpDocumentRetriever() : new HttpDocumentRetriever(httpClient);
        documentRetriever.RequireHttps = !options.AllowHttp;
        var address = options.MetadataAddress ?? options.Issuer.TrimEnd('/') + "/.well-known/openid-configuration";
        _manager = new ConfigurationManager<OpenIdConnectConfiguration>(
            address, new MonitoredRetriever(new OpenIdConnectConfigurationRetriever(), options.Issuer, logger), documentRetriever)
        {
            AutomaticRefreshInterval = Max(options.MetadataRefreshInterval, BaseConfigurationManager.MinimumAutomaticRefreshInterval),
            // Our own limit (MinKeyRefreshInterval) applies first; the manager's must not be stricter.
            RefreshInterval = BaseConfigurationManager.MinimumRefreshInterval,
        };
    }

    public OidcProviderOptions Options { get; }

    /// <summary>
    /// Returns the cached configuration, or null when it was never fetched and the provider is unreachable.
    /// After one success the manager keeps serving the last configuration through outages.
    /// </summary>
    public async ValueTask<OpenIdConnectConfiguration?> GetConfigurationAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _manager.GetConfigurationAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogOutage(ex);
            return null;
        }
    }

    /// <summary>
    /// Refreshes discovery and JWKS because a token names an unknown key, unless a refresh ran less than
    /// <see cref="MinKeyRefreshInterval"/> ago. Callers arriving during a refresh wait for it.
    /// </summary>
    public async ValueTask<OpenIdConnectConfiguration?> RefreshForUnknownKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        Task? refresh = null;
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();
            if (_keyRefresh is { IsCompleted: false })
            {
                refresh = _keyRefresh;
            }
            else if (now - _lastKeyRefresh >= MinKeyRefreshInterval)
            {
                _lastKeyRefresh = now;
                TrustLog.OidcKeyRefreshRequested(_logger, Options.Issuer, Truncate(keyId));
                refresh = _keyRefresh = RefreshAsync();
            }
        }

        if (refresh is not null)
        {
            await refresh.WaitAsync(cancellationToken);
        }

        return await GetConfigurationAsync(cancellationToken);
    }

    /// <summary>Returns validation parameters for this configuration, built once per configuration.</summary>
    public TokenValidationParameters GetParameters(OpenIdConnectConfiguration configuration)
    {
        var cached = _parameters;
        if (cached is not null && ReferenceEquals(cached.Configuration, configuration))
        {
            return cached.Parameters;
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = Options.Issuer,
            ValidAudience = Options.Audience,
            ValidAlgorithms = Options.Algorithms,
            IssuerSigningKeys = configuration.SigningKeys,
            ClockSkew = Options.ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = false,
            LifetimeValidator = TokenLifetime.CreateValidator(_timeProvider),
        };
        _parameters = new ParametersForConfiguration(configuration, parameters);
        return parameters;
    }

    private async Task RefreshAsync()
    {
        var before = await GetConfigurationAsync(CancellationToken.None);
        _manager.RequestRefresh();
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < RefreshWait)
        {
            var current = await GetConfigurationAsync(CancellationToken.None);
            if (current is not null && !ReferenceEquals(current, before))
            {
                return;
            }

            await Task.Delay(RefreshPollInterval);
        }
    }

    private void LogOutage(Exception exception)
    {
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (now - _lastOutageLog < OutageLogInterval)
            {
                return;
            }

            _lastOutageLog = now;
        }

        TrustLog.OidcConfigurationFailed(_logger, exception, Options.Issuer);
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    private static TimeSpan Max(TimeSpan left, TimeSpan right) => left > right ? left : right;

    private sealed record ParametersForConfiguration(
        OpenIdConnectConfiguration Configuration, TokenValidationParameters Parameters);
}
