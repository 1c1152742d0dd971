using System.Runtime.Versioning;
using System.Text.Json;
using Gatehouse.Trust.Keys;
using Gatehouse.Trust.Tests.TestSupport;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Trust.Tests.Keys;

// Key file modes are a Unix concept; the key ring skips the mode checks on Windows.
[UnsupportedOSPlatform("windows")]
public sealed class KeyRingTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ManualTimeProvider _clock = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void OpenDirectory_Missing_CreatesPrivateDirectory()
    {
        var ring = KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);

        Assert.Equal(KeyFiles.DirectoryMode, File.GetUnixFileMode(_temp.KeyDirectory));
        var pem = Assert.Single(Directory.GetFiles(_temp.KeyDirectory, "*.pem"));
        Assert.Equal(KeyFiles.FileMode, File.GetUnixFileMode(pem));
        Assert.Equal(ring.CurrentKeyId, Path.GetFileNameWithoutExtension(pem));
        Assert.True(File.Exists(Path.Combine(_temp.KeyDirectory, ring.CurrentKeyId + ".json")));
        var key = Assert.Single(ring.List());
        Assert.Equal(KeyStatus.Current, key.Status);
    }

    [Fact]
    public void SigningCredentials_FirstKey_IsEs256()
    {
        var ring = KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);

        var credentials = ring.CurrentSigningCredentials;

        Assert.Equal(SecurityAlgorithms.EcdsaSha256, credentials.Algorithm);
        Assert.Equal(ring.CurrentKeyId, credentials.Key.KeyId);
    }

    [Fact]
    public void OpenDirectory_Reopen_KeepsKeys()
    {
        var first = KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);
        first.Rotate();

        var second = KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);

        Assert.Equal(first.CurrentKeyId, second.CurrentKeyId);
        Assert.Equal(first.PublicJwksJson(), second.PublicJwksJson());
        Assert.Equal(2, second.List().Count);
    }

    [Fact]
    public void OpenDirectory_GroupReadable_Rejects()
    {
        Directory.CreateDirectory(_temp.KeyDirectory);
        File.SetUnixFileMode(_temp.KeyDirectory, KeyFiles.DirectoryMode | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);

        var error = Assert.Throws<KeyRingException>(() => KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock));

        Assert.Contains(_temp.KeyDirectory, error.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 700", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenDirectory_OtherReadableKeyFile_Rejects()
    {
        var ring = KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);
        var pem = Path.Combine(_temp.KeyDirectory, ring.CurrentKeyId + ".pem");
        File.SetUnixFileMode(pem, KeyFiles.FileMode | UnixFileMode.OtherRead);

        var error = Assert.Throws<KeyRingException>(() => KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock));

        Assert.Contains(pem, error.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rotate_NoDelay_NewKeySignsAtOnce()
    {
        var ring = KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);
        var first = ring.CurrentKeyId;
        _clock.Advance(TimeSpan.FromSeconds(1));

        var rotated = ring.Rotate();

        Assert.Equal(rotated.KeyId, ring.CurrentKeyId);
        Assert.Equal(KeyStatus.Current, rotated.Status);
        Assert.Equal(KeyStatus.Previous, ring.List().Single(k => k.KeyId == first).Status);
        Assert.Contains(first, PublishedKeyIds(ring));
        Assert.Contains(rotated.KeyId, PublishedKeyIds(ring));
    }

    [Fact]
    public void Rotate_WithDelay_SignsAfterDelay()
    {
        var ring = KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);
        var first = ring.CurrentKeyId;

        var rotated = ring.Rotate(TimeSpan.FromMinutes(2));

        Assert.Equal(KeyStatus.Pending, rotated.Status);
        Assert.Equal(first, ring.CurrentKeyId);
        Assert.Contains(rotated.KeyId, PublishedKeyIds(ring));

        _clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(rotated.KeyId, ring.CurrentKeyId);
        Assert.Equal(rotated.KeyId, ring.CurrentSigningCredentials.Key.KeyId);
    }

    [Fact]
    public void Retire_OnlyActiveKey_Rejects()
    {
        var ring = KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);
        ring.Rotate(TimeSpan.FromHours(1));

        var error = Assert.Throws<KeyRingException>(() => ring.Retire(ring.CurrentKeyId));

        Assert.Contains("only active signing key", error.Message, StringComparison.Ordinal);
        Assert.Contains("gatehouse keys rotate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Retire_PreviousKey_RemovesItFromJwks()
    {
        var ring = KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);
        var first = ring.CurrentKeyId;
        var second = ring.Rotate().KeyId;

        ring.Retire(first);

        Assert.DoesNotContain(first, PublishedKeyIds(ring));
        Assert.Contains(second, PublishedKeyIds(ring));
        var retired = ring.List().Single(k => k.KeyId == first);
        Assert.Equal(KeyStatus.Retired, retired.Status);
        Assert.Equal(_clock.GetUtcNow(), retired.RetiredAt);
    }

    [Fact]
    public void Retire_UnknownKey_RejectsNamingIt()
    {
        var ring = KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);

        var error = Assert.Throws<KeyRingException>(() => ring.Retire("no-such-key"));

        Assert.Contains("'no-such-key' was not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Retire_Reopen_StaysRetired()
    {
        var ring = KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);
        var first = ring.CurrentKeyId;
        ring.Rotate();
        ring.Retire(first);

        var reopened = KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);

        Assert.Equal(KeyStatus.Retired, reopened.List().Single(k => k.KeyId == first).Status);
        Assert.DoesNotContain(first, PublishedKeyIds(reopened));
    }

    [Fact]
    public void PublicJwks_HasNoPrivateParts()
    {
        var ring = KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);
        ring.Rotate(TimeSpan.FromMinutes(1));

        using var jwks = JsonDocument.Parse(ring.PublicJwksJson());

        var keys = jwks.RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(2, keys.Count);
        foreach (var key in keys)
        {
            var names = key.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(["alg", "crv", "kid", "kty", "use", "x", "y"], names);
            Assert.Equal("EC", key.GetProperty("kty").GetString());
            Assert.Equal("P-256", key.GetProperty("crv").GetString());
            Assert.Equal("ES256", key.GetProperty("alg").GetString());
        }
    }

    [Fact]
    public void CurrentKeyId_OtherProcessRotates_Reloads()
    {
        var edge = KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);
        var cli = KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);
        var before = edge.CurrentKeyId;
        _clock.Advance(TimeSpan.FromSeconds(1));

        var rotated = cli.Rotate();

        Assert.Equal(before, edge.CurrentKeyId);
        _clock.Advance(KeyRing.ReloadInterval);

        Assert.Equal(rotated.KeyId, edge.CurrentKeyId);
    }

    [Fact]
    public void Reload_AnotherProcessRetires_DropsKeyAtOnce()
    {
        var edge = KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);
        var cli = KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);
        var first = edge.CurrentKeyId;
        cli.Rotate();
        cli.Retire(first);

        edge.Reload();

        Assert.DoesNotContain(first, PublishedKeyIds(edge));
        Assert.NotEqual(first, edge.CurrentKeyId);
    }

    [Fact]
    public void AutoReload_GroupReadable_KeepsOldKeys()
    {
        var ring = KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);
        var current = ring.CurrentKeyId;
        File.SetUnixFileMode(_temp.KeyDirectory, KeyFiles.DirectoryMode | UnixFileMode.GroupRead);
        _clock.Advance(KeyRing.ReloadInterval);

        Assert.Equal(current, ring.CurrentKeyId);
        Assert.Throws<KeyRingException>(ring.Reload);
    }

    private static List<string> PublishedKeyIds(KeyRing ring)
    {
        using var jwks = JsonDocument.Parse(ring.PublicJwksJson());
        return jwks.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).ToList();
    }
}
