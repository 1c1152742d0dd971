namespace Gatehouse.Edge.Pipeline;

/// <summary>Who failed and where, for responses the edge generates itself, with one mapping to HTTP status.</summary>
internal enum EdgeFailure
{
    BadRequest,
    MethodNotAllowed,
    BodyTooLarge,
    NoRoute,
    MissingCredentials,
    InvalidCredentials,
    RateLimited,
    BalancerUnreachable,
    BalancerTimeout,
    BalancerBadResponse,
    SignInRejected,
    SignInProviderUnavailable,
}

internal static class EdgeFailureExtensions
{
    public static int StatusCode(this EdgeFailure failure) => failure switch
    {
        EdgeFailure.BadRequest => 400,
        EdgeFailure.MethodNotAllowed => 405,
        EdgeFailure.BodyTooLarge => 413,
        EdgeFailure.NoRoute => 404,
        EdgeFailure.MissingCredentials => 401,
        EdgeFailure.InvalidCredentials => 401,
        EdgeFailure.RateLimited => 429,
        EdgeFailure.BalancerUnreachable => 502,
        EdgeFailure.BalancerTimeout => 504,
        EdgeFailure.BalancerBadResponse => 502,
        EdgeFailure.SignInRejected => 400,
        EdgeFailure.SignInProviderUnavailable => 502,
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, "unmapped edge failure"),
    };
}
