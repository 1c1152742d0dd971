using Microsoft.Extensions.Logging;

namespace Gatehouse.DevStack;

/// <summary>
/// Log events of the development stack. Event ids are stable: 1xx dev issuer, 2xx demo origins.
/// </summary>
internal static partial class DevStackLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Dev issuer listening at {Issuer} (development only: every password equals its user name)")]
    public static partial void DevIssuerStarted(ILogger logger, Uri issuer);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Dev issuer at {Issuer} stopped")]
    public static partial void DevIssuerStopped(ILogger logger, Uri issuer);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Dev issuer created signing key {KeyId} in {Path}")]
    public static partial void SigningKeyCreated(ILogger logger, string keyId, string path);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Dev issuer loaded signing key {KeyId} from {Path}")]
    public static partial void SigningKeyLoaded(ILogger logger, string keyId, string path);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Dev issuer uses an ephemeral signing key {KeyId}; tokens become invalid when it stops")]
    public static partial void SigningKeyEphemeral(ILogger logger, string keyId);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Dev issuer issued tokens to {User} for client {ClientId} by grant {GrantType}")]
    public static partial void TokenIssued(ILogger logger, string user, string? clientId, string? grantType);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Dev issuer rejected a token request from client {ClientId} by grant {GrantType}: {Error} ({Reason})")]
    public static partial void TokenRequestRejected(ILogger logger, string? clientId, string? grantType, string error, string reason);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "Dev issuer rejected an authorization request from client {ClientId}: {Error} ({Reason})")]
    public static partial void AuthorizationRequestRejected(ILogger logger, string? clientId, string error, string reason);

    [LoggerMessage(EventId = 109, Level = LogLevel.Information, Message = "Dev issuer signed in {User} on the sign-in page for client {ClientId}")]
    public static partial void SignInPageCompleted(ILogger logger, string user, string? clientId);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Dev issuer rotated its signing key: {KeyId} signs from now on, {PreviousKeyId} stays published")]
    public static partial void SigningKeyRotated(ILogger logger, string keyId, string previousKeyId);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "Dev issuer retired signing key {KeyId}; it is no longer published")]
    public static partial void SigningKeyRetired(ILogger logger, string keyId);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Demo origin {Server} of pool {Pool} listening at {Address}")]
    public static partial void DemoOriginStarted(ILogger logger, string pool, string server, Uri address);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Demo origin {Server} of pool {Pool} stopped after {RequestCount} requests")]
    public static partial void DemoOriginStopped(ILogger logger, string pool, string server, int requestCount);

    [LoggerMessage(EventId = 203, Level = LogLevel.Debug, Message = "Demo origin {Server} rejected a request body larger than {MaxBytes} bytes")]
    public static partial void DemoOriginBodyTooLarge(ILogger logger, string server, long maxBytes);
}
