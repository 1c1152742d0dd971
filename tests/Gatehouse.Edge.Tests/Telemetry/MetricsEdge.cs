using System.Net.Http.Headers;
using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Hosting;
using Gatehouse.Edge.Tests.Support;
using Gatehouse.Trust.Assertions;
using Gatehouse.Trust.Identity;
using Gatehouse.Trust.Keys;

namespace Gatehouse.Edge.Tests.Telemetry;

/// <summary>
/// A real edge with a <c>[metrics]</c> listener on loopback port 0, an <see cref="EchoOrigin"/> in place of the
/// balancer, and a client for both listeners.
/// </summary>
internal sealed class MetricsEdge : IAsyncDisposable
{
    private readonly EchoOrigin _origin;
    private readonly string _keyDirectory;

    private MetricsEdge(EdgeHost host, EchoOrigin origin, string keyDirectory)
    {
        Host = host;
        _origin = origin;
        _keyDirectory = keyDirectory;
    }

    public EdgeHost Host { get; }

    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>
    /// Starts an edge on <paramref name="toml"/>; when it has no [metrics] section and <paramref name="metricsSection"/>
    /// is true, one on 127.0.0.1:0 is added after [balancer].
    /// </summary>
    public static async Task<MetricsEdge> StartAsync(string toml, ITokenValidator? tokens = null, bool metricsSection = true)
    {
        var origin = await EchoOrigin.StartAsync();
        var keyDirectory = Path.Combine(Path.GetTempPath(), "gh-edge-metrics-" + Guid.NewGuid().ToString("N"));
        var metrics = !metricsSection || toml.Contains("[metrics]", StringComparison.Ordinal) ? "" : "[metrics]\nlisten = \"127.0.0.1:0\"\n\n";
        var text = $"[balancer]\nurl = \"{origin.Address}\"\n\n{metrics}{toml}";
        var config = EdgeConfigLoader.Parse(text, Path.Combine(AppContext.BaseDirectory, "edge.toml"), new Dictionary<string, string>());
        var ring = KeyRing.OpenDirectory(keyDirectory);
        var host = await EdgeHost.StartAsync(
            config,
            new EdgeHostOptions
            {
                LoggerFactory = new CapturingLoggerFactory(),
                Decisions = new DecisionList(),
                Assertions = new EdgeAssertionIssuer(ring),
                PublicJwks = ring.PublicJwksJson,
                Tokens = tokens,
                Listen = "127.0.0.1:0",
            },
            CancellationToken.None);
        return new MetricsEdge(host, origin, keyDirectory);
    }

    public async Task<HttpResponseMessage> GetAsync(string path, string? token = null, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Host.Address, path));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        return await Http.SendAsync(request);
    }

    public Task<string> ReadMetricsAsync(string path = "/metrics") => Http.GetStringAsync(new Uri(Host.MetricsAddress!, path));

    /// <summary>
    /// Scrapes until <paramref name="done"/> holds for the parsed samples or 30 s pass, and returns the last samples;
    /// a decision is counted after its response is sent, so it may trail the client's read.
    /// </summary>
    public async Task<Dictionary<string, double>> ScrapeUntilAsync(Func<Dictionary<string, double>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var samples = await PrometheusText.ParseAsync(await ReadMetricsAsync());
            if (done(samples) || DateTime.UtcNow > deadline)
            {
                return samples;
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await _origin.DisposeAsync();
        Http.Dispose();
        Directory.Delete(_keyDirectory, recursive: true);
    }
}
