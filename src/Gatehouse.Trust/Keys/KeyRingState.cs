using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Trust.Keys;

/// <summary>One loaded key: its metadata and, unless retired, the signing material.</summary>
internal sealed record LoadedKey(KeyMetadata Metadata, ECDsaSecurityKey SecurityKey, SigningCredentials Credentials);

/// <summary>
/// Immutable view of a key directory at one moment: the keys, the one that signs, and the published JWKS.
/// </summary>
internal sealed class KeyRingState
{
    private KeyRingState(IReadOnlyList<LoadedKey> keys, LoadedKey current, DateTimeOffset validUntil)
    {
        Keys = keys;
        Current = current;
        ValidUntil = validUntil;
        PublicJwksJson = WriteJwks(keys);
    }

    public IReadOnlyList<LoadedKey> Keys { get; }

    public LoadedKey Current { get; }

    /// <summary>Time after which the state must be rebuilt: the reload interval or the next activation.</summary>
    public DateTimeOffset ValidUntil { get; }

    public string PublicJwksJson { get; }

    /// <summary>Builds a state; returns null when no key is usable for signing (all retired or none).</summary>
    public static KeyRingState? Create(IReadOnlyList<LoadedKey> keys, DateTimeOffset now, TimeSpan reloadInterval)
    {
        var current = SelectCurrent(keys, now);
        if (current is null)
        {
            return null;
        }

        var validUntil = now + reloadInterval;
        foreach (var key in keys)
        {
            var metadata = key.Metadata;
            if (metadata.RetiredAt is null && metadata.ActivatesAt > now && metadata.ActivatesAt < validUntil)
            {
                validUntil = metadata.ActivatesAt;
            }
        }

        return new KeyRingState(keys, current, validUntil);
    }

    public KeyStatus StatusOf(KeyMetadata metadata, DateTimeOffset now)
    {
        if (metadata.RetiredAt is not null)
        {
            return KeyStatus.Retired;
        }

        if (metadata.ActivatesAt > now)
        {
            return KeyStatus.Pending;
        }

        return metadata.KeyId == Current.Metadata.KeyId ? KeyStatus.Current : KeyStatus.Previous;
    }

    // The newest active key signs. When every key is still pending (possible only if another process wrote
    // the directory that way), the earliest pending one signs: it is already published, so verifiers accept it.
    private static LoadedKey? SelectCurrent(IReadOnlyList<LoadedKey> keys, DateTimeOffset now)
    {
        var usable = keys.Where(k => k.Metadata.RetiredAt is null).ToList();
        var active = usable.Where(k => k.Metadata.IsActive(now))
            .OrderByDescending(k => k.Metadata.ActivatesAt)
            .ThenByDescending(k => k.Metadata.CreatedAt)
            .ThenByDescending(k => k.Metadata.KeyId, StringComparer.Ordinal)
            .FirstOrDefault();
        return active ?? usable.OrderBy(k => k.Metadata.ActivatesAt).FirstOrDefault();
    }

    private static string WriteJwks(IReadOnlyList<LoadedKey> keys)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var key in keys.Where(k => k.Metadata.RetiredAt is null))
            {
                WriteJwk(writer, key);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteJwk(Utf8JsonWriter writer, LoadedKey key)
    {
        // Only the public point is exported; ExportParameters(false) leaves D out.
        var parameters = key.SecurityKey.ECDsa.ExportParameters(includePrivateParameters: false);
        writer.WriteStartObject();
        writer.WriteString("kty", "EC");
        writer.WriteString("use", "sig");
        writer.WriteString("alg", SecurityAlgorithms.EcdsaSha256);
        writer.WriteString("kid", key.Metadata.KeyId);
        writer.WriteString("crv", "P-256");
        writer.WriteString("x", Base64UrlEncoder.Encode(parameters.Q.X));
        writer.WriteString("y", Base64UrlEncoder.Encode(parameters.Q.Y));
        writer.WriteEndObject();
    }

    public static LoadedKey Load(ECDsa key, KeyMetadata metadata)
    {
        var securityKey = new ECDsaSecurityKey(key) { KeyId = metadata.KeyId };
        return new LoadedKey(metadata, securityKey, new SigningCredentials(securityKey, SecurityAlgorithms.EcdsaSha256));
    }
}
