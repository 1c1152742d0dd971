using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Benchmarks.Support;

/// <summary>
/// An OIDC provider on 127.0.0.1 with an OS-chosen port: a discovery document and a JWKS with one RSA-2048
/// key generated at start. Tokens are minted with <see cref="JsonWebTokenHandler"/> and signed RS256.
/// </summary>
internal sealed class LocalOidcProvider : IAsyncDisposable
{
    public const string Audience = "gatehouse-bench";

    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key;
    private readonly JsonWebTokenHandler _handler = new();

    private LocalOidcProvider(WebApplication app, RsaSecurityKey key, string issuer)
    {
        _app = app;
        _key = key;
        Issuer = issuer;
    }

    /// <summary>Issuer URL: the base address without a trailing slash.</summary>
    public string Issuer { get; }

    /// <summary>The JWKS document the provider serves, public key only.</summary>
    public string JwksJson => WriteJwks(_key);

    public static async Task<LocalOidcProvider> StartAsync()
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "bench-rsa-1" };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var jwks = WriteJwks(key);
        string? issuer = null;
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer!,
            ["jwks_uri"] = issuer + "/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/jwks", () => Results.Text(jwks, "application/json"));
        await app.StartAsync();
        issuer = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Single().TrimEnd('/');
        return new LocalOidcProvider(app, key, issuer);
    }

    /// <summary>Mints an RS256 token valid for one hour, with a unique <c>jti</c> so every token string differs.</summary>
    public string MintRs256()
    {
        var now = DateTime.UtcNow;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "alice",
                ["groups"] = new[] { "staff", "admin" },
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static string WriteJwks(RsaSecurityKey key)
    {
        var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
        var jwk = new Dictionary<string, string>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["keys"] = new[] { jwk } });
    }
}
