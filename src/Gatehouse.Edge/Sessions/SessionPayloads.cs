using System.Text.Json.Serialization;

namespace Gatehouse.Edge.Sessions;

/// <summary>Contents of the session cookie, written after sign-in and after each refresh.</summary>
internal sealed record SessionTicket(
    string Subject,
    IReadOnlyList<string> Groups,
    string AccessToken,
    string? RefreshToken,
    DateTimeOffset AccessTokenExpiresAt,
    DateTimeOffset ExpiresAt) : IExpiringPayload;

/// <summary>
/// Contents of the correlation cookie that links an authorization request to its callback: the values the
/// callback must see again, and the relative URL to return to.
/// </summary>
internal sealed record SignInCorrelation(
    string State,
    string Nonce,
    string CodeVerifier,
    string ReturnUrl,
    DateTimeOffset ExpiresAt) : IExpiringPayload;

/// <summary>A cookie payload that stops being valid at <see cref="ExpiresAt"/>.</summary>
internal interface IExpiringPayload
{
    DateTimeOffset ExpiresAt { get; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SessionTicket))]
[JsonSerializable(typeof(SignInCorrelation))]
internal sealed partial class SessionJsonContext : JsonSerializerContext;
