using System.Text.Json.Serialization;

namespace Gatehouse.Trust.Keys;

/// <summary>Contents of the <c>{kid}.json</c> file stored beside each private key.</summary>
internal sealed record KeyMetadata(
    [property: JsonPropertyName("kid")] string KeyId,
    [property: JsonPropertyName("created")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("activates_at")] DateTimeOffset ActivatesAt,
    [property: JsonPropertyName("retired_at")] DateTimeOffset? RetiredAt)
{
    public bool IsActive(DateTimeOffset now) => RetiredAt is null && ActivatesAt <= now;
}

[JsonSerializable(typeof(KeyMetadata))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class KeyMetadataJsonContext : JsonSerializerContext;
