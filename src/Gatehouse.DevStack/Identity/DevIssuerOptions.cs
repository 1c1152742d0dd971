namespace Gatehouse.DevStack.Identity;

/// <summary>
/// Settings of the development OIDC issuer started by <c>gatehouse up</c>.
/// </summary>
public sealed class DevIssuerOptions
{
    /// <summary>
    /// Loopback IP and port to listen on, as <c>IP:PORT</c>. Port 0 picks a free port. Default <c>127.0.0.1:8090</c>.
    /// </summary>
    public string ListenAddress { get; set; } = "127.0.0.1:8090";

    /// <summary>
    /// Value of the <c>aud</c> claim in every access token. Default <c>gatehouse</c>.
    /// </summary>
    public string Audience { get; set; } = "gatehouse";

    /// <summary>
    /// Lifetime of access tokens. Default one hour.
    /// </summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Directory for the signing and encryption keys, created with mode 0700 and key files with mode 0600, so that
    /// tokens issued before a restart stay valid. When null the keys live only in memory. Default null.
    /// </summary>
    public string? SigningKeyDirectory { get; set; }
}
