using Gatehouse.Edge.Compute.Tests;
using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Tests.Support;

namespace Gatehouse.Edge.Tests.Guests;

public sealed class GuestRouteTests : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task GuestRoute_HelloGuest_AnswersWithGuestDecision()
    {
        var wasm = await GuestBuild.BuildAsync("hello");
        await using var edge = await EdgeUnderTest.StartAsync(Route(wasm));

        using var response = await _http.GetAsync(new Uri(edge.Address, "/hello/world"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("hello", body);
        // The record is written after the guest's response completes, so it may trail the client's read.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (edge.Decisions.Records.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var record = Assert.Single(edge.Decisions.Records);
        Assert.Equal("guest", record.Decision);
        Assert.Equal(200, record.Status);
        Assert.Equal("guest /hello/", record.Backend);
        Assert.Null(record.Reason);
    }

    [Fact]
    public void Load_MissingWasm_ReportsRouteLine()
    {
        var toml = "[[routes]]\nprefix = \"/hello/\"\nkind = \"guest\"\nwasm = \"no-such.wasm\"\n";

        var error = Assert.Throws<EdgeConfigException>(() => Parse(toml));

        var message = Assert.Single(error.Errors);
        Assert.StartsWith("edge.toml:4: guest route \"/hello/\":", message);
        Assert.Contains("not found", message);
    }

    [Fact]
    public void Load_BadAuth_ReportsKeyLine()
    {
        var wasm = Path.GetTempFileName();
        var toml = $"[[routes]]\nprefix = \"/hello/\"\nkind = \"guest\"\nwasm = \"{wasm}\"\nauth = \"maybe\"\n";

        var error = Assert.Throws<EdgeConfigException>(() => Parse(toml));

        var message = Assert.Single(error.Errors);
        Assert.Equal("edge.toml:5: key 'auth' in guest route \"/hello/\" must be \"none\" or \"token\"; got \"maybe\"", message);
        File.Delete(wasm);
    }

    [Fact]
    public async Task Start_InvalidWasm_FailsWithRouteLine()
    {
        var wasm = Path.GetTempFileName();
        await File.WriteAllTextAsync(wasm, "not wasm");

        var error = await Assert.ThrowsAsync<EdgeConfigException>(() => EdgeUnderTest.StartAsync(Route(wasm)));

        var message = Assert.Single(error.Errors);
        Assert.StartsWith("edge.toml:4: guest route \"/hello/\":", message);
        Assert.Contains("not a usable guest module", message);
        File.Delete(wasm);
    }

    [Fact]
    public async Task Start_PackageWithoutBuiltWasm_FailsWithBuildHint()
    {
        var package = Path.Combine(Path.GetTempPath(), "gatehouse-unbuilt-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(package);
        await File.WriteAllTextAsync(Path.Combine(package, "fastly.toml"), "manifest_version = 3\nname = \"unbuilt\"\n");
        var toml = $"[[routes]]\nprefix = \"/hello/\"\nkind = \"guest\"\npackage = \"{package}\"\n";
        try
        {
            // The loader accepts the package, so `gatehouse check` passes before a build; start-up does not.
            Assert.Single(Parse(toml).Routes);
            var error = await Assert.ThrowsAsync<EdgeConfigException>(() => EdgeUnderTest.StartAsync(toml));

            var message = Assert.Single(error.Errors);
            Assert.StartsWith("edge.toml:4: guest route \"/hello/\":", message);
            Assert.Contains("bin/main.wasm\" not found; build the package first", message);
        }
        finally
        {
            Directory.Delete(package, recursive: true);
        }
    }

    public void Dispose() => _http.Dispose();

    // EdgeUnderTest puts three lines of [balancer] first, so this [[routes]] starts at line 4.
    private static string Route(string wasm) => $"[[routes]]\nprefix = \"/hello/\"\nkind = \"guest\"\nwasm = \"{wasm}\"\n";

    private static EdgeConfig Parse(string toml) =>
        EdgeConfigLoader.Parse(toml, Path.Combine(Path.GetTempPath(), "edge.toml"), new Dictionary<string, string>());
}
