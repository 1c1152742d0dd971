using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Trust.Identity;

/// <summary>Maps a validation exception from the token handler to its <see cref="TokenFailure"/>.</summary>
internal static class TokenFailures
{
    // Order matters: the expired and not-yet-valid exceptions derive from the invalid-lifetime one, and the
    // key-not-found exception derives from the invalid-signature one.
    public static TokenFailure FromException(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => TokenFailure.Expired,
        SecurityTokenNotYetValidException => TokenFailure.NotYetValid,
        SecurityTokenNoExpirationException => TokenFailure.Malformed,
        SecurityTokenInvalidLifetimeException => TokenFailure.Malformed,
        SecurityTokenInvalidIssuerException => TokenFailure.WrongIssuer,
        SecurityTokenInvalidAudienceException => TokenFailure.WrongAudience,
        SecurityTokenInvalidAlgorithmException => TokenFailure.AlgorithmNotAllowed,
        SecurityTokenSignatureKeyNotFoundException => TokenFailure.UnknownKey,
        SecurityTokenInvalidSignatureException => TokenFailure.BadSignature,
        _ => TokenFailure.Malformed,
    };
}
