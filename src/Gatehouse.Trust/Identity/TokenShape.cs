using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Trust.Identity;

/// <summary>
/// Structural checks on a compact JWS before any key is used: three segments, base64url characters only,
/// a JSON header and payload. Reads the header and claims without trusting them.
/// </summary>
internal static class TokenShape
{
    /// <summary>Parses <paramref name="token"/>; returns null when it is not a well-formed compact JWS.</summary>
    public static JsonWebToken? TryRead(string token)
    {
        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var secondDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        if (secondDot < 0 || token.IndexOf('.', secondDot + 1) >= 0)
        {
            return null;
        }

        var header = token.AsSpan(0, firstDot);
        var payload = token.AsSpan(firstDot + 1, secondDot - firstDot - 1);
        var signature = token.AsSpan(secondDot + 1);
        if (!IsBase64Url(header, allowEmpty: false) || !IsBase64Url(payload, allowEmpty: false) ||
            !IsBase64Url(signature, allowEmpty: true))
        {
            return null;
        }

        try
        {
            return new JsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException or JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>True when the token has a signature segment; "alg": "none" tokens end with an empty one.</summary>
    public static bool HasSignature(string token) => token[^1] != '.';

    // Unpadded base64url: a length of 1 mod 4 cannot come from any byte string.
    private static bool IsBase64Url(ReadOnlySpan<char> segment, bool allowEmpty)
    {
        if (segment.IsEmpty)
        {
            return allowEmpty;
        }

        if (segment.Length % 4 == 1)
        {
            return false;
        }

        foreach (var c in segment)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
