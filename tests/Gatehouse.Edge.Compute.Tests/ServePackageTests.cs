using System.Net;
using Gatehouse.Edge.Compute.Configuration;
using Gatehouse.Edge.Compute.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Edge.Compute.Tests;

/// <summary>
/// What <c>gatehouse serve PACKAGE-DIR</c> does, in process: a package folder with fastly.toml and
/// bin/main.wasm, loaded with <see cref="FastlyToml"/> and served by <see cref="GuestServer"/> on port 0.
/// </summary>
public sealed class ServePackageTests : IDisposable
{
    private const string SecretVariable = "GATEHOUSE_SERVE_TEST_TOKEN";
    private readonly string _package = Directory.CreateTempSubdirectory("gatehouse-package-").FullName;

    [Fact]
    public async Task Serve_PackageDirectory_ReadsFileAndEnvStores()
    {
        Directory.CreateDirectory(Path.Combine(_package, "bin"));
        File.Copy(await GuestBuild.BuildAsync("suite"), Path.Combine(_package, "bin", "main.wasm"));
        File.WriteAllText(Path.Combine(_package, "settings.json"), """{"greeting":"hello from a file"}""");
        File.WriteAllText(Path.Combine(_package, "fastly.toml"), $"""
            manifest_version = 3
            name = "serve-test"

            [local_server.config_stores.settings]
            format = "json"
            file = "settings.json"

            [[local_server.secret_stores.credentials]]
            key = "token"
            env = "{SecretVariable}"
            """);
        Environment.SetEnvironmentVariable(SecretVariable, "secret-from-env");

        var environment = FastlyToml.Load(Path.Combine(_package, "fastly.toml"));
        using var runtime = new ComputeRuntime(new ComputeLimits(), Path.Combine(GuestBuild.CacheDirectory, "compiled"), NullLoggerFactory.Instance);
        using var module = runtime.Load(Path.Combine(_package, "bin", "main.wasm"));
        using var runner = new GuestRunner(module, environment);
        await using var app = await GuestServer.StartAsync(runner, new IPEndPoint(IPAddress.Loopback, 0), runtime.LoggerFactory, CancellationToken.None);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var response = await client.GetAsync("/config");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello from a file|secret-from-env", await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => Directory.Delete(_package, recursive: true);
}
