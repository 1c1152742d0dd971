using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Gatehouse.Telemetry.Audit;

/// <summary>Finds the public key that verifies a checkpoint signature, by key id.</summary>
public interface ICheckpointKeyResolver
{
    /// <summary>Returns the P-256 public key with id <paramref name="keyId"/>, or null when it is unknown.</summary>
    ECDsa? FindKey(string keyId);
}

/// <summary>Resolves key ids from a fixed set of keys, such as the keys of a JWKS document.</summary>
public sealed class CheckpointKeySet : ICheckpointKeyResolver
{
    private readonly Dictionary<string, ECDsa> _keys = new(StringComparer.Ordinal);

    public int Count => _keys.Count;

    public void Add(string keyId, ECDsa publicKey) => _keys[keyId] = publicKey;

    public ECDsa? FindKey(string keyId) => _keys.GetValueOrDefault(keyId);

    /// <summary>
    /// Adds every P-256 key (<c>"kty": "EC"</c>, <c>"crv": "P-256"</c>) with a <c>kid</c> from a JWKS
    /// document; other keys are skipped.
    /// </summary>
    /// <exception cref="JsonException">The document is not JSON or has no <c>keys</c> array.</exception>
    public void AddJwks(string jwksJson)
    {
        using var document = JsonDocument.Parse(jwksJson);
        if (!document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("expected a JWKS document with a \"keys\" array");
        }

        foreach (var jwk in keys.EnumerateArray())
        {
            if (Text(jwk, "kty") == "EC" && Text(jwk, "crv") == "P-256"
                && Text(jwk, "kid") is { } kid && Text(jwk, "x") is { } x && Text(jwk, "y") is { } y)
            {
                var point = new ECPoint { X = Base64Url.DecodeFromChars(x), Y = Base64Url.DecodeFromChars(y) };
                Add(kid, ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = point }));
            }
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
