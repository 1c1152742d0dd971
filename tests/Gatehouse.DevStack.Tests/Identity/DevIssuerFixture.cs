using System.Net;
using System.Text.Json;
using Gatehouse.DevStack.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.DevStack.Tests.Identity;

/// <summary>
/// A dev issuer on a free loopback port, shared by the tests of one class.
/// </summary>
public sealed class DevIssuerFixture : IAsyncLifetime
{
    public DevIssuer Issuer { get; private set; } = null!;

    public HttpClient Http { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false });

    public async Task InitializeAsync()
    {
        var options = new DevIssuerOptions { ListenAddress = "127.0.0.1:0" };
        Issuer = await DevIssuer.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Issuer.DisposeAsync();
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> PostTokenAsync(params (string Name, string Value)[] fields) =>
        PostTokenAsync(Issuer.IssuerUri, Http, fields);

    public Task<(HttpStatusCode Status, JsonElement Body)> PasswordGrantAsync(string user, string password) =>
        PostTokenAsync(
            ("grant_type", "password"), ("client_id", "gatehouse-cli"), ("username", user), ("password", password),
            ("scope", "openid profile groups offline_access"));

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostTokenAsync(
        Uri issuer, HttpClient http, params (string Name, string Value)[] fields)
    {
        var form = new FormUrlEncodedContent(fields.Select(field => KeyValuePair.Create(field.Name, field.Value)));
        using var response = await http.PostAsync(new Uri(issuer, "connect/token"), form);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public static JsonElement DecodePayload(string jwt)
    {
        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        return JsonDocument.Parse(Base64UrlEncoder.Decode(parts[1])).RootElement.Clone();
    }

    public static JsonElement DecodeHeader(string jwt) =>
        JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.Split('.')[0])).RootElement.Clone();
}
