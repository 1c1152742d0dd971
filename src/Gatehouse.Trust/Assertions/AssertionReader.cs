using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Trust.Assertions;

/// <summary>Parsing of the compact JWT form and the claims of an edge assertion.</summary>
internal static class AssertionReader
{
    /// <summary>Parses a three-segment JWS; returns null when the token is not one.</summary>
    public static JsonWebToken? TryRead(string token)
    {
        if (token.Count(c => c == '.') != 2)
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

    /// <summary>Builds the assertion from verified claims; returns null when a required claim is missing.</summary>
    public static EdgeAssertion? ReadClaims(JsonWebToken jwt)
    {
        if (!jwt.TryGetPayloadValue<string>(EdgeAssertionClaims.RequestId, out var requestId) ||
            !jwt.TryGetPayloadValue<string>(EdgeAssertionClaims.ClientAddress, out var clientAddress) ||
            !jwt.TryGetPayloadValue<string>(EdgeAssertionClaims.Decision, out var decision))
        {
            return null;
        }

        jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Sub, out var subject);
        jwt.TryGetPayloadValue<string>(EdgeAssertionClaims.Variant, out var variant);
        var groups = jwt.TryGetPayloadValue<List<string>>(EdgeAssertionClaims.Groups, out var list) ? list : [];
        return new EdgeAssertion(requestId, clientAddress, subject, groups, variant, decision);
    }
}
