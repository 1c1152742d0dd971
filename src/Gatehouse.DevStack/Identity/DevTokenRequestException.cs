namespace Gatehouse.DevStack.Identity;

/// <summary>
/// Failure of <see cref="DevTokenClient"/>: the issuer was unreachable, returned an invalid document, or rejected
/// the request. The message is written to be shown on the command line unchanged.
/// </summary>
public sealed class DevTokenRequestException : Exception
{
    public DevTokenRequestException(string message)
        : base(message)
    {
    }

    public DevTokenRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// OAuth error code returned by the token endpoint, such as <c>invalid_grant</c>, or null for other failures.
    /// </summary>
    public string? OAuthError { get; init; }
}
