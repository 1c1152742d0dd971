using System.Text.Json;

namespace Gatehouse.DevStack.Identity;

/// <summary>
/// Client of the dev issuer's password grant. It backs <c>gatehouse token --user NAME</c>.
/// </summary>
public static class DevTokenClient
{
    private const string Scope = "openid profile groups";

    /// <summary>
    /// Requests an access token for <paramref name="user"/> from the issuer at <paramref name="issuer"/>, finding the
    /// token endpoint through the discovery document. When <paramref name="password"/> is null the user name is sent
    /// as the password, which is the dev issuer's demo convention.
    /// </summary>
    /// <returns>The access token (a signed JWT).</returns>
    /// <exception cref="DevTokenRequestException">The issuer is unreachable or rejected the request.</exception>
    public static async Task<string> RequestAccessTokenAsync(
        Uri issuer, string user, string? password, HttpClient http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(http);

        var tokenEndpoint = await FindTokenEndpointAsync(issuer, http, ct);
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = DevClients.Cli,
            ["username"] = user,
            ["password"] = password ?? user,
            ["scope"] = Scope,
        });

        using var response = await SendAsync(issuer, () => http.PostAsync(tokenEndpoint, form, ct), ct);
        using var body = await ReadJsonAsync(issuer, response, ct);
        var root = body.RootElement;
        if (response.IsSuccessStatusCode && TryGetString(root, "access_token") is { } accessToken)
        {
            return accessToken;
        }

        var error = TryGetString(root, "error");
        var description = TryGetString(root, "error_description");
        var hint = error == "invalid_grant" ? " Demo users are alice, bob and carol; each password is the user name." : "";
        throw new DevTokenRequestException(
            $"The dev issuer at {issuer} rejected the token request for user '{user}' (HTTP {(int)response.StatusCode}): {error ?? "no error code"}: {description ?? "no description"}.{hint}")
        {
            OAuthError = error,
        };
    }

    private static async Task<Uri> FindTokenEndpointAsync(Uri issuer, HttpClient http, CancellationToken ct)
    {
        var discovery = new Uri(issuer, ".well-known/openid-configuration");
        using var response = await SendAsync(issuer, () => http.GetAsync(discovery, ct), ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new DevTokenRequestException(
                $"The issuer at {issuer} returned HTTP {(int)response.StatusCode} for {discovery}; is it the Gatehouse dev issuer? Start it with ./gatehouse up");
        }

        using var document = await ReadJsonAsync(issuer, response, ct);
        var value = TryGetString(document.RootElement, "token_endpoint");
        if (!Uri.TryCreate(value, UriKind.Absolute, out var tokenEndpoint))
        {
            throw new DevTokenRequestException(
                $"The discovery document at {discovery} has no valid token_endpoint (found '{value}').");
        }

        return tokenEndpoint;
    }

    private static async Task<HttpResponseMessage> SendAsync(
        Uri issuer, Func<Task<HttpResponseMessage>> send, CancellationToken ct)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException exception)
        {
            throw new DevTokenRequestException(
                $"No dev issuer answering at {issuer}; start it with ./gatehouse up ({exception.Message})", exception);
        }
        catch (TaskCanceledException exception) when (!ct.IsCancellationRequested)
        {
            throw new DevTokenRequestException(
                $"No dev issuer answering at {issuer}: the request timed out; start it with ./gatehouse up", exception);
        }
    }

    private static async Task<JsonDocument> ReadJsonAsync(Uri issuer, HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            return await JsonDocument.ParseAsync(stream, cancellationToken: ct);
        }
        catch (JsonException exception)
        {
            throw new DevTokenRequestException(
                $"The issuer at {issuer} returned invalid JSON from {response.RequestMessage?.RequestUri}: {exception.Message}", exception);
        }
    }

    private static string? TryGetString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
