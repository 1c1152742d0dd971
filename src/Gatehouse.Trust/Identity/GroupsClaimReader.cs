using System.Buffers.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Gatehouse.Trust.Identity;

/// <summary>
/// Reads group names from a validated token. The claim may hold a string or an array of strings, and a
/// dotted name such as <c>realm_access.roles</c> (Keycloak) walks nested JSON objects.
/// </summary>
internal static class GroupsClaimReader
{
    public static IReadOnlyList<string> Read(JsonWebToken jwt, string claimName)
    {
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.EncodedPayload));
        var root = payload.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        // A top-level claim whose name contains dots wins over the nested walk.
        if (root.TryGetProperty(claimName, out var value))
        {
            return ToGroups(value);
        }

        var element = root;
        foreach (var part in claimName.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
            {
                return [];
            }
        }

        return ToGroups(element);
    }

    private static List<string> ToGroups(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Array => value.EnumerateArray()
            .Where(item => item.ValueKind == JsonValueKind.String)
            .Select(item => item.GetString()!)
            .ToList(),
        _ => [],
    };
}
