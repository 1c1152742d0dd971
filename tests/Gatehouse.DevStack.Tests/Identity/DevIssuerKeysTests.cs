using System.Net;
using Gatehouse.DevStack.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.DevStack.Tests.Identity;

public sealed class DevIssuerKeysTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"gh-devissuer-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private Task<DevIssuer> StartAsync(string listenAddress = "127.0.0.1:0") => DevIssuer.StartAsync(
        new DevIssuerOptions { ListenAddress = listenAddress, SigningKeyDirectory = _directory },
        NullLoggerFactory.Instance, CancellationToken.None);

    [Fact]
    public async Task SigningKeyDirectory_NewKey_FilesAreOwnerOnly()
    {
        await using (await StartAsync())
        {
        }

        var files = Directory.GetFiles(_directory);
        Assert.Equal(2, files.Length);
        Assert.Contains(files, file => file.EndsWith("dev-issuer-signing.pem", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            foreach (var file in files)
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }

        var pem = await File.ReadAllTextAsync(Path.Combine(_directory, "dev-issuer-signing.pem"));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigningKeyDirectory_Restart_OldTokenStillValidates()
    {
        using var http = new HttpClient();
        string token;
        await using (var first = await StartAsync())
        {
            token = await DevTokenClient.RequestAccessTokenAsync(first.IssuerUri, "bob", null, http, CancellationToken.None);
        }

        await using var second = await StartAsync();
        var jwks = new JsonWebKeySet(await http.GetStringAsync(new Uri(second.IssuerUri, ".well-known/jwks")));
        var parameters = new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidAudience = "gatehouse",
            IssuerSigningKeys = jwks.GetSigningKeys(),
        };

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters);

        Assert.True(result.IsValid, result.Exception?.ToString());
    }

    [Fact]
    public async Task StartAsync_NonLoopbackAddress_Rejected()
    {
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => StartAsync("0.0.0.0:0"));

        Assert.Contains("loopback", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:8090")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:")]
    public async Task StartAsync_InvalidListenAddress_Rejected(string listenAddress)
    {
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => StartAsync(listenAddress));

        Assert.Contains($"'{listenAddress}'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ListenAddress_Ipv6_Parses()
    {
        var endPoint = ListenAddress.Parse("[::1]:0", "value");

        Assert.Equal(IPAddress.IPv6Loopback, endPoint.Address);
        Assert.Equal(0, endPoint.Port);
    }
}
