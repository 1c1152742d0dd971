using Microsoft.Extensions.Logging;

namespace Gatehouse.Trust;

/// <summary>
/// Log events of the trust project, with their stable event ids (4000–4099). Tokens and private keys
/// never appear in any event; key ids and issuers do.
/// </summary>
internal static partial class TrustLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Created key directory {Directory}")]
    public static partial void KeyDirectoryCreated(ILogger logger, string directory);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Created signing key {KeyId} in {Directory}, active from {ActivatesAt:O}")]
    public static partial void KeyCreated(ILogger logger, string keyId, string directory, DateTimeOffset activatesAt);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Retired signing key {KeyId} in {Directory}")]
    public static partial void KeyRetired(ILogger logger, string keyId, string directory);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "Reloading key directory {Directory} failed; keeping the keys loaded before")]
    public static partial void KeyReloadFailed(ILogger logger, Exception exception, string directory);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Skipped key metadata file {Path}: {Reason}")]
    public static partial void KeyFileSkipped(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "Signing key changed from {PreviousKeyId} to {KeyId}")]
    public static partial void CurrentKeyChanged(ILogger logger, string previousKeyId, string keyId);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Fetching the edge assertion key set failed; keeping {KeyCount} cached keys")]
    public static partial void AssertionKeysFetchFailed(ILogger logger, Exception exception, int keyCount);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Debug, Message = "Fetched the edge assertion key set: {KeyCount} ES256 keys")]
    public static partial void AssertionKeysFetched(ILogger logger, int keyCount);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Debug, Message = "Rejected edge assertion: {Reason}")]
    public static partial void AssertionRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Debug, Message = "Edge assertion key {KeyId} is unknown and the key set was fetched less than 5 s ago; fetching again in {Wait}")]
    public static partial void AssertionKeysFetchDeferred(ILogger logger, string keyId, TimeSpan wait);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Warning, Message = "Fetching OIDC configuration for issuer {Issuer} failed")]
    public static partial void OidcConfigurationFailed(ILogger logger, Exception exception, string issuer);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Information, Message = "Token from issuer {Issuer} names unknown signing key {KeyId}; refreshing the provider's JWKS")]
    public static partial void OidcKeyRefreshRequested(ILogger logger, string issuer, string keyId);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Debug, Message = "Rejected token from issuer {Issuer}: {Failure} ({Detail})")]
    public static partial void OidcTokenRejected(ILogger logger, string issuer, string failure, string? detail);

    [LoggerMessage(EventId = 4030, Level = LogLevel.Information, Message = "Key rotation started for {Directory}: rotation every {RotationInterval}, activation delay {ActivationDelay}, retirement {RetireAfter} after a key stops signing")]
    public static partial void KeyRotationStarted(ILogger logger, string directory, TimeSpan rotationInterval, TimeSpan activationDelay, TimeSpan retireAfter);

    [LoggerMessage(EventId = 4031, Level = LogLevel.Information, Message = "Rotated signing key in {Directory}: {KeyId} replaces {PreviousKeyId} from {ActivatesAt:O}")]
    public static partial void KeyRotated(ILogger logger, string directory, string keyId, string previousKeyId, DateTimeOffset activatesAt);

    [LoggerMessage(EventId = 4032, Level = LogLevel.Information, Message = "Retired signing key {KeyId} in {Directory}: it stopped signing at {StoppedSigningAt:O}")]
    public static partial void KeyRetiredByRotation(ILogger logger, string keyId, string directory, DateTimeOffset stoppedSigningAt);

    [LoggerMessage(EventId = 4033, Level = LogLevel.Debug, Message = "Skipped key rotation check in {Directory}: another process holds {LockPath}")]
    public static partial void KeyRotationLockBusy(ILogger logger, string directory, string lockPath);

    [LoggerMessage(EventId = 4034, Level = LogLevel.Error, Message = "Key rotation check in {Directory} failed, retrying in {RetryIn}")]
    public static partial void KeyRotationFailed(ILogger logger, Exception exception, string directory, TimeSpan retryIn);

    [LoggerMessage(EventId = 4035, Level = LogLevel.Information, Message = "Key rotation stopped for {Directory}")]
    public static partial void KeyRotationStopped(ILogger logger, string directory);

    [LoggerMessage(EventId = 4050, Level = LogLevel.Warning, Message = "OIDC provider {Issuer}: refreshing its discovery document or keys failed ({ErrorType}: {Error}), so validation uses the cached keys until it recovers")]
    public static partial void OidcRefreshFailing(ILogger logger, string issuer, string errorType, string error);

    [LoggerMessage(EventId = 4051, Level = LogLevel.Information, Message = "OIDC provider {Issuer}: refresh succeeded again after an outage")]
    public static partial void OidcRefreshRecovered(ILogger logger, string issuer);
}
