using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Trust.Tests.TestSupport;

/// <summary>
/// A minimal OIDC provider run by the test on loopback: a discovery document and a JWKS with RSA and EC
/// keys generated here. Tokens are minted with <see cref="JsonWebTokenHandler"/>.
/// </summary>
internal sealed class TestOidcProvider : IAsyncDisposable
{
    public const string Audience = "gatehouse-test";

    private readonly JsonWebTokenHandler _handler = new();
    private LoopbackServer _server = null!;
    private volatile IReadOnlyList<SecurityKey> _published = [];
    private int _jwksRequests;

    // RSA key generation takes up to seconds on a slow machine, so the keys are made once per test run.
    private static readonly RsaSecurityKey SharedRsaKey = new(RSA.Create(2048)) { KeyId = "rsa-1" };
    private static readonly RsaSecurityKey SharedSpareRsaKey = new(RSA.Create(2048)) { KeyId = "rsa-2" };
    private static readonly ECDsaSecurityKey SharedEcKey = new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "ec-1" };

    private TestOidcProvider()
    {
        _published = [RsaKey, EcKey];
    }

    public RsaSecurityKey RsaKey => SharedRsaKey;

    public ECDsaSecurityKey EcKey => SharedEcKey;

    /// <summary>An RSA key that is not published until a test publishes it, kid "rsa-2".</summary>
    public RsaSecurityKey SpareRsaKey => SharedSpareRsaKey;

    /// <summary>Issuer URL, the base address without a trailing slash.</summary>
    public string Issuer => _server.BaseAddress.ToString().TrimEnd('/');

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    public static async Task<TestOidcProvider> StartAsync()
    {
        var provider = new TestOidcProvider();
        provider._server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = provider.Issuer,
                ["jwks_uri"] = provider.Issuer + "/jwks",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256", "ES256" },
            }));
            app.MapGet("/jwks", () =>
            {
                Interlocked.Increment(ref provider._jwksRequests);
                return Results.Text(provider.WriteJwks(), "application/json");
            });
        });
        return provider;
    }

    /// <summary>Replaces the published key set, as a provider does when it rotates keys.</summary>
    public void Publish(params SecurityKey[] keys) => _published = keys;

    public Task StopAsync() => _server.StopAsync();

    public string Mint(SecurityKey key, string algorithm, Action<SecurityTokenDescriptor>? configure = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "alice",
                ["groups"] = new[] { "staff", "admins" },
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = new SigningCredentials(key, algorithm),
        };
        configure?.Invoke(descriptor);
        return _handler.CreateToken(descriptor);
    }

    public string MintRs256(Action<SecurityTokenDescriptor>? configure = null) =>
        Mint(RsaKey, SecurityAlgorithms.RsaSha256, configure);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private string WriteJwks()
    {
        var keys = _published.Select(ToJwk).ToList();
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["keys"] = keys });
    }

    private static Dictionary<string, string> ToJwk(SecurityKey key) => key switch
    {
        RsaSecurityKey rsa => RsaJwk(rsa),
        ECDsaSecurityKey ec => EcJwk(ec),
        _ => throw new NotSupportedException(key.GetType().Name),
    };

    private static Dictionary<string, string> RsaJwk(RsaSecurityKey key)
    {
        var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
        return new Dictionary<string, string>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    private static Dictionary<string, string> EcJwk(ECDsaSecurityKey key)
    {
        var parameters = key.ECDsa.ExportParameters(includePrivateParameters: false);
        return new Dictionary<string, string>
        {
            ["kty"] = "EC",
            ["use"] = "sig",
            ["alg"] = "ES256",
            ["kid"] = key.KeyId,
            ["crv"] = "P-256",
            ["x"] = Base64UrlEncoder.Encode(parameters.Q.X),
            ["y"] = Base64UrlEncoder.Encode(parameters.Q.Y),
        };
    }
}
