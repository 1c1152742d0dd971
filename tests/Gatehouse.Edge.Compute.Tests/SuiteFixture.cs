using System.Net;
using Gatehouse.Edge.Compute.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Compute.Tests;

/// <summary>
/// The suite guest built with the Fastly JS SDK, served by a real Kestrel listener, with an origin server
/// as backend <c>origin</c> and a backend <c>slow</c> that responds after its first-byte timeout. The test
/// classes of <see cref="SuiteCollection"/> share one instance.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes fixtures through IAsyncLifetime.DisposeAsync.")]
public sealed class SuiteFixture : IAsyncLifetime
{
    private WebApplication? _origin;
    private WebApplication? _server;
    private ComputeRuntime? _runtime;
    private GuestModule? _module;
    private GuestRunner? _runner;

    public HttpClient Client { get; private set; } = null!;

    public GuestEnvironment Environment { get; } = new();

    public async Task InitializeAsync()
    {
        var wasm = await GuestBuild.BuildAsync("suite");
        _origin = await StartOriginAsync();
        var originUrl = new Uri(_origin.Urls.First());
        Environment.Backends["origin"] = new GuestBackend("origin", originUrl) { OverrideHost = "origin.test" };
        Environment.Backends["slow"] = new GuestBackend("slow", originUrl) { FirstByteTimeout = TimeSpan.FromMilliseconds(300) };
        Environment.ConfigStores["settings"] = new Dictionary<string, string> { ["greeting"] = "hi there" };
        Environment.SecretStores["credentials"] = new Dictionary<string, string> { ["token"] = "s3cret" };
        Environment.KvStores["data"] = new KvStore();

        // Fastly's default limits, the 50 ms CPU limit included. The limit counts thread CPU time, so it
        // stays valid even while other builds load the machine.
        _runtime = new ComputeRuntime(new ComputeLimits(), Path.Combine(GuestBuild.CacheDirectory, "compiled"), LoggerFactory.Create(_ => { }));
        _module = _runtime.Load(wasm);
        _runner = new GuestRunner(_module, Environment);
        _server = await GuestServer.StartAsync(_runner, new IPEndPoint(IPAddress.Loopback, 0), _runtime.LoggerFactory, CancellationToken.None);
        Client = new HttpClient { BaseAddress = new Uri(_server.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };
    }

    public IReadOnlyList<string> UnsupportedImports => _module!.UnsupportedImports;

    public bool ResolvesImportsOnce => _module!.ResolvesImportsOnce;

    /// <summary>Sends GET <paramref name="path"/>, asserts a 200 response and returns its body.</summary>
    public async Task<string> GetOkTextAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<WebApplication> StartOriginAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/one", () => "one");
        app.MapGet("/two", () => "two");
        app.MapGet("/delay", async () =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            return "done";
        });
        app.MapGet("/slow", async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            return "late";
        });
        app.MapPost("/upload", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            return $"host={request.Host.Value};len={body.Length}";
        });
        await app.StartAsync();
        return app;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_origin is not null)
        {
            await _origin.DisposeAsync();
        }

        _runner?.Dispose();
        _module?.Dispose();
        _runtime?.Dispose();
    }
}

/// <summary>The suite guest tests, which share one <see cref="SuiteFixture"/> and run one at a time.</summary>
[CollectionDefinition(nameof(SuiteCollection))]
public sealed class SuiteCollection : ICollectionFixture<SuiteFixture>;
