using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Gatehouse.DevStack.Identity;

/// <summary>
/// Rotates the dev issuer's RS256 signing key at runtime. OpenIddict signs with the first signing credential and
/// publishes every signing credential in its JWKS, so a new key goes first and an old one stays published until
/// it is retired. Rotated keys live in memory only, so a restart returns to the key in the key directory.
/// </summary>
/// <remarks>
/// NOTE: OpenIddict reads <see cref="OpenIddictServerOptions.SigningCredentials"/> without a lock, so a request
/// served at the moment of a rotation may fail once. Acceptable for a development issuer, not for production.
/// </remarks>
internal sealed class DevSigningKeyRotation : IDisposable
{
    private const int RsaKeyBits = 2048;

    private readonly OpenIddictServerOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<RSA> _created = [];

    public DevSigningKeyRotation(OpenIddictServerOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
    }

    /// <summary>Key id of the key that signs new tokens.</summary>
    public string CurrentKeyId
    {
        get
        {
            lock (_gate)
            {
                return _options.SigningCredentials[0].Key.KeyId;
            }
        }
    }

    /// <summary>Key ids published in the JWKS, the signing key first.</summary>
    public IReadOnlyList<string> PublishedKeyIds
    {
        get
        {
            lock (_gate)
            {
                return _options.SigningCredentials.Select(credentials => credentials.Key.KeyId).ToList();
            }
        }
    }

    /// <summary>Creates a new RSA key that signs every token from now on; earlier keys stay published.</summary>
    /// <returns>The new key id, a base64url JWK thumbprint (RFC 7638).</returns>
    public string Rotate()
    {
        var rsa = RSA.Create(RsaKeyBits);
        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        lock (_gate)
        {
            _created.Add(rsa);
            var previous = _options.SigningCredentials[0].Key.KeyId;
            _options.SigningCredentials.Insert(0, new SigningCredentials(key, SecurityAlgorithms.RsaSha256));
            DevStackLog.SigningKeyRotated(_logger, key.KeyId, previous);
        }

        return key.KeyId;
    }

    /// <summary>Removes a key from the JWKS, so validators that refresh stop accepting tokens it signed.</summary>
    /// <exception cref="ArgumentException">No published key has this id.</exception>
    /// <exception cref="InvalidOperationException">The key still signs new tokens; rotate first.</exception>
    public void Retire(string keyId)
    {
        lock (_gate)
        {
            var index = _options.SigningCredentials.FindIndex(credentials => credentials.Key.KeyId == keyId);
            if (index < 0)
            {
                throw new ArgumentException($"Signing key '{keyId}' is not published by the dev issuer.", nameof(keyId));
            }

            if (index == 0)
            {
                throw new InvalidOperationException($"Signing key '{keyId}' still signs new tokens; call RotateSigningKey before retiring it.");
            }

            _options.SigningCredentials.RemoveAt(index);
            DevStackLog.SigningKeyRetired(_logger, keyId);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var rsa in _created)
            {
                rsa.Dispose();
            }
        }
    }
}
