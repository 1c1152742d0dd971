using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Trust.Assertions;

/// <summary>Failure reasons of <see cref="JwksAssertionVerifier"/>, short enough for a decision record.</summary>
internal static class AssertionFailures
{
    public const string Missing = "missing edge assertion";
    public const string TooLarge = "edge assertion too large";
    public const string Malformed = "malformed edge assertion";
    public const string AlgorithmNotAllowed = "edge assertion algorithm not allowed";
    public const string UnknownKey = "unknown edge assertion key";
    public const string BadSignature = "invalid edge assertion signature";
    public const string Expired = "expired edge assertion";
    public const string NotYetValid = "edge assertion not yet valid";
    public const string WrongIssuer = "wrong edge assertion issuer";
    public const string WrongAudience = "wrong edge assertion audience";

    public static string FromException(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => Expired,
        SecurityTokenNotYetValidException => NotYetValid,
        SecurityTokenSignatureKeyNotFoundException => UnknownKey,
        SecurityTokenInvalidSignatureException => BadSignature,
        SecurityTokenInvalidAlgorithmException => AlgorithmNotAllowed,
        SecurityTokenInvalidIssuerException => WrongIssuer,
        SecurityTokenInvalidAudienceException => WrongAudience,
        _ => Malformed,
    };
}
