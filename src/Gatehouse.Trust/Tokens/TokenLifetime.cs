using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Trust.Tokens;

/// <summary>
/// Lifetime check on a <see cref="TimeProvider"/> clock. The handler's built-in check reads the system
/// clock, so tests could not move time. Each failure throws the exception type the handler would use,
/// which keeps "expired" and "not yet valid" apart in the result.
/// </summary>
internal static class TokenLifetime
{
    public static LifetimeValidator CreateValidator(TimeProvider timeProvider) =>
        (notBefore, expires, _, parameters) =>
        {
            var now = timeProvider.GetUtcNow().UtcDateTime;
            if (expires is null)
            {
                throw new SecurityTokenNoExpirationException("The token has no exp claim.");
            }

            if (notBefore is { } start && expires.Value <= start)
            {
                throw new SecurityTokenInvalidLifetimeException("The token's exp is not after its nbf.");
            }

            if (notBefore is { } validFrom && validFrom > now + parameters.ClockSkew)
            {
                throw new SecurityTokenNotYetValidException("The token's nbf is in the future.") { NotBefore = validFrom };
            }

            if (expires.Value < now - parameters.ClockSkew)
            {
                throw new SecurityTokenExpiredException("The token's exp has passed.") { Expires = expires.Value };
            }

            return true;
        };
}
