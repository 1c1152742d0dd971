using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Edge.Sessions;

/// <summary>
/// Encrypts and signs cookie payloads with ASP.NET Core Data Protection, one purpose per cookie kind, so a
/// correlation cookie can never be replayed as a session. Anything that fails to decode, decrypt, parse
/// or is past its expiry reads as no payload.
/// </summary>
internal sealed class CookieProtector<T>
    where T : class, IExpiringPayload
{
    private readonly IDataProtector _protector;
    private readonly JsonTypeInfo<T> _type;
    private readonly TimeProvider _time;

    public CookieProtector(IDataProtectionProvider provider, string purpose, JsonTypeInfo<T> type, TimeProvider time)
    {
        _protector = provider.CreateProtector(purpose);
        _type = type;
        _time = time;
    }

    public string Protect(T payload) =>
        Base64UrlEncoder.Encode(_protector.Protect(JsonSerializer.SerializeToUtf8Bytes(payload, _type)));

    /// <summary>Returns the payload, or null for a missing, malformed, tampered or expired cookie value.</summary>
    public T? Unprotect(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        T? payload;
        try
        {
            // The JSON reader rejects bytes that are not valid UTF-8, so no string decoding happens first.
            payload = JsonSerializer.Deserialize(_protector.Unprotect(Base64UrlEncoder.DecodeBytes(value)), _type);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or CryptographicException or JsonException)
        {
            return null;
        }

        return payload is not null && payload.ExpiresAt > _time.GetUtcNow() ? payload : null;
    }
}
