using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace Gatehouse.DevStack.Identity;

/// <summary>
/// Development OIDC issuer: an in-process OpenIddict server on its own Kestrel listener, with the demo accounts
/// alice (groups staff), bob (staff, admin) and carol (no groups). DEVELOPMENT ONLY: each password equals the user
/// name, and the listener accepts loopback addresses only.
/// </summary>
/// <remarks>
/// Clients: <c>gatehouse-cli</c> uses the password grant, and <c>gatehouse-edge</c> uses the authorization code grant
/// with PKCE and redirect URIs http://127.0.0.1:PORT/_gatehouse/callback or http://localhost:PORT/_gatehouse/callback.
/// Both may use refresh tokens (scope <c>offline_access</c>). Access tokens are RS256-signed JWTs, not encrypted,
/// with iss, sub, aud, name, groups (a JSON array, absent when empty), scope, exp, iat and nbf.
/// </remarks>
public sealed class DevIssuer : IAsyncDisposable
{
    internal const string AuthorizationPath = "/connect/authorize";
    internal const string TokenPath = "/connect/token";

    private readonly WebApplication _app;
    private readonly DevIssuerKeys _keys;
    private readonly ILogger _logger;
    private readonly DevSigningKeyRotation _rotation;

    private DevIssuer(WebApplication app, DevIssuerKeys keys, Uri issuerUri, ILogger logger)
    {
        _app = app;
        _keys = keys;
        IssuerUri = issuerUri;
        _logger = logger;
        var serverOptions = app.Services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue;
        _rotation = new DevSigningKeyRotation(serverOptions, logger);
    }

    /// <summary>
    /// Issuer identifier and base address, with a trailing slash, for example <c>http://127.0.0.1:8090/</c>.
    /// </summary>
    public Uri IssuerUri { get; }

    /// <summary>Key id (<c>kid</c>) of the RSA key that signs new access tokens.</summary>
    public string CurrentSigningKeyId => _rotation.CurrentKeyId;

    /// <summary>Key ids published in the JWKS, the current signing key first.</summary>
    public IReadOnlyList<string> PublishedSigningKeyIds => _rotation.PublishedKeyIds;

    /// <summary>
    /// Rotates the signing key as a provider does: a new RSA key signs every token from now on, and the previous
    /// keys stay in the JWKS until <see cref="RetireSigningKey"/> removes them. The new key lives in memory only.
    /// </summary>
    /// <returns>The new key id.</returns>
    public string RotateSigningKey() => _rotation.Rotate();

    /// <summary>Removes a key that no longer signs from the JWKS.</summary>
    /// <exception cref="ArgumentException">No published key has this id.</exception>
    /// <exception cref="InvalidOperationException">The key is the current signing key.</exception>
    public void RetireSigningKey(string keyId) => _rotation.Retire(keyId);

    /// <summary>
    /// Starts the issuer and returns once it accepts connections.
    /// </summary>
    /// <exception cref="ArgumentException">The listen address is invalid or not a loopback address.</exception>
    public static async Task<DevIssuer> StartAsync(
        DevIssuerOptions options, ILoggerFactory loggerFactory, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Audience, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.AccessTokenLifetime, TimeSpan.Zero, nameof(options));
        var endPoint = ParseLoopbackEndPoint(options.ListenAddress);
        var logger = loggerFactory.CreateLogger<DevIssuer>();
        var keys = DevIssuerKeys.LoadOrCreate(options.SigningKeyDirectory, logger);

        // A fixed port gives the issuer URI before start, so even a request racing the start gets the right issuer.
        var issuerHolder = new IssuerHolder();
        if (endPoint.Port != 0)
        {
            issuerHolder.Set(ListenAddress.ToHttpUri(endPoint, "/"));
        }

        WebApplication? app = null;
        try
        {
            app = Build(endPoint, options, keys, issuerHolder, loggerFactory, logger);
            await app.StartAsync(ct);
            var issuerUri = ListenAddress.ToHttpUri(LoopbackHost.GetBoundEndPoint(app, endPoint), "/");
            issuerHolder.Set(issuerUri);
            DevStackLog.DevIssuerStarted(logger, issuerUri);
            return new DevIssuer(app, keys, issuerUri, logger);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            keys.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Stops the listener and releases the keys.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _rotation.Dispose();
        _keys.Dispose();
        DevStackLog.DevIssuerStopped(_logger, IssuerUri);
    }

    private static IPEndPoint ParseLoopbackEndPoint(string listenAddress)
    {
        var endPoint = ListenAddress.Parse(listenAddress, nameof(DevIssuerOptions.ListenAddress));
        if (!IPAddress.IsLoopback(endPoint.Address))
        {
            throw new ArgumentException(
                $"Invalid dev issuer listen address '{listenAddress}': it must be a loopback address such as 127.0.0.1, because the demo passwords are public.",
                nameof(listenAddress));
        }

        return endPoint;
    }

    private static WebApplication Build(IPEndPoint endPoint, DevIssuerOptions options, DevIssuerKeys keys,
        IssuerHolder issuerHolder, ILoggerFactory loggerFactory, ILogger logger)
    {
        var builder = LoopbackHost.CreateBuilder(endPoint, loggerFactory);
        builder.Services.AddRoutingCore();
        var principals = new DevPrincipalFactory(options.Audience);
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            DevIssuerServerSetup.Configure(server, options, keys, issuerHolder);
            DevRequestValidation.Register(server, logger);
            DevTokenIssuance.Register(server, principals, logger);
            DevTokenShaping.Register(server);
        });

        var app = builder.Build();
        app.UseRouting();
        app.UseAuthentication();
        var signInPage = new SignInPage(principals, logger);
        app.MapMethods(AuthorizationPath, [HttpMethods.Get, HttpMethods.Post], signInPage.HandleAsync);
        return app;
    }
}
