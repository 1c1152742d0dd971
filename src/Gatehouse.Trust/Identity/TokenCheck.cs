namespace Gatehouse.Trust.Identity;

/// <summary>Why a bearer token was rejected; <see cref="None"/> means it is valid.</summary>
public enum TokenFailure
{
    None,
    Missing,
    TooLarge,
    Malformed,
    AlgorithmNotAllowed,
    BadSignature,
    UnknownKey,
    Expired,
    NotYetValid,
    WrongIssuer,
    WrongAudience,
    ProviderUnavailable,
}

/// <summary>Outcome of validating one bearer token. Only <see cref="TokenFailure.None"/> means allowed.</summary>
public readonly record struct TokenCheck(
    TokenFailure Failure,
    string? Subject,
    IReadOnlyList<string> Groups,
    string? Issuer,
    DateTimeOffset ExpiresAt,
    string? Detail)
{
    public bool IsValid => Failure == TokenFailure.None;

    public static TokenCheck Reject(TokenFailure failure, string? detail = null) =>
        new(failure, null, [], null, default, detail);

    /// <summary>Short reason for a response body or decision record, such as "token expired".</summary>
    public string Reason => Failure switch
    {
        TokenFailure.None => "valid",
        TokenFailure.Missing => "missing token",
        TokenFailure.TooLarge => "token too large",
        TokenFailure.Malformed => "malformed token",
        TokenFailure.AlgorithmNotAllowed => "algorithm not allowed",
        TokenFailure.BadSignature => "invalid signature",
        TokenFailure.UnknownKey => "unknown signing key",
        TokenFailure.Expired => "token expired",
        TokenFailure.NotYetValid => "token not yet valid",
        TokenFailure.WrongIssuer => "wrong issuer",
        TokenFailure.WrongAudience => "wrong audience",
        TokenFailure.ProviderUnavailable => "identity provider unavailable",
        _ => "invalid token",
    };
}

/// <summary>Validates bearer tokens from the configured OIDC providers.</summary>
public interface ITokenValidator
{
    ValueTask<TokenCheck> ValidateAsync(string token, CancellationToken cancellationToken);
}
