using System.Net;
using Gatehouse.Balancer.Configuration;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Runtime;

public sealed class ErrorFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gh-errorfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task<BalancerTestHost> StartInFolderAsync(string cfg) =>
        StartAsync(BalancerConfigLoader.Parse(cfg, Path.Combine(_folder, "t.cfg"), new Dictionary<string, string>()));

    private void WriteFile(string name, string status, string body) =>
        File.WriteAllText(Path.Combine(_folder, name), $"HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nX-Error-File: {name}\r\n\r\n{body}");

    [Fact]
    public async Task DisabledServers_WithBackendErrorFile_SendBackendFile()
    {
        WriteFile("fe503.http", "503 Frontend Busy", "frontend page");
        WriteFile("be503.http", "503 Backend Busy", "backend page");
        var cfg = "frontend gateway\n    bind 127.0.0.1:0\n    errorfile 503 fe503.http\n    default_backend be\n"
            + "backend be\n    errorfile 503 be503.http\n    server off 127.0.0.1:9 disabled\n";
        await using var balancer = await StartInFolderAsync(cfg);

        using var response = await balancer.SendAsync(Get("/x"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Backend Busy", response.ReasonPhrase);
        Assert.Equal("be503.http", response.Headers.GetValues("X-Error-File").Single());
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("backend page", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DisabledServers_WithDefaultsErrorFile_SendDefaultsFile()
    {
        WriteFile("503.http", "503 Busy", "defaults page");
        var cfg = "defaults\n    errorfile 503 503.http\nfrontend gateway\n    bind 127.0.0.1:0\n    default_backend be\n"
            + "backend be\n    server off 127.0.0.1:9 disabled\n";
        await using var balancer = await StartInFolderAsync(cfg);

        using var response = await balancer.SendAsync(Get("/x"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Busy", response.ReasonPhrase);
        Assert.Equal("defaults page", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RefusedServer_WithFrontendErrorFile_SendsFile()
    {
        WriteFile("502.http", "502 Upstream Down", "refused page");
        var cfg = $"frontend gateway\n    bind 127.0.0.1:0\n    errorfile 502 502.http\n    default_backend be\n"
            + $"backend be\n    retries 0\n    server dead 127.0.0.1:{RefusedPort()}\n";
        await using var balancer = await StartInFolderAsync(cfg);

        using var response = await balancer.SendAsync(Get("/x"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("Upstream Down", response.ReasonPhrase);
        Assert.Equal("502.http", response.Headers.GetValues("X-Error-File").Single());
        Assert.Equal("refused page", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DisabledServers_WithoutErrorFile_SendBuiltInPage()
    {
        WriteFile("502.http", "502 Upstream Down", "refused page");
        var cfg = "frontend gateway\n    bind 127.0.0.1:0\n    errorfile 502 502.http\n    default_backend be\n"
            + "backend be\n    server off 127.0.0.1:9 disabled\n";
        await using var balancer = await StartInFolderAsync(cfg);

        using var response = await balancer.SendAsync(Get("/x"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("503 Service Unavailable", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
