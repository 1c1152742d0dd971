using System.Net;
using System.Runtime.InteropServices;
using Gatehouse.DevStack.Identity;
using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Hosting;
using Gatehouse.Telemetry.Decisions;
using Gatehouse.Trust.Assertions;
using Gatehouse.Trust.Identity;
using Gatehouse.Trust.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.EdgeBench;

/// <summary>
/// The two proxies that bench/edge/run.sh compares: "bare PORT ORIGIN" is a Kestrel listener that forwards every
/// request with YARP's IHttpForwarder and no policy; "edge PORT ORIGIN WORKDIR" is the Gatehouse edge with every
/// pipeline step on, forwarding to the same origin in place of the balancer. "rate PORT ORIGIN WORKDIR none|memory|redis=HOST:PORT"
/// is the edge with one public route and nothing else, plus one per-client rate limit counted in memory or in
/// Redis, or no rate limit, so that bench/tracking/run.sh can price the rate counters alone. "tls PORT ORIGIN
/// WORKDIR CERT KEY" is that edge without a rate limit, serving HTTPS (HTTP/1.1 and HTTP/2) on PORT, for
/// bench/tls/run.sh.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 3 || args[0] is not ("bare" or "edge" or "rate" or "tls") || (args[0] == "rate" && args.Length < 5) || (args[0] == "tls" && args.Length < 6))
        {
            await Console.Error.WriteLineAsync(
                "usage: EdgeBench bare PORT ORIGIN_URL | edge PORT ORIGIN_URL WORKDIR | rate PORT ORIGIN_URL WORKDIR none|memory|redis=HOST:PORT"
                + " | tls PORT ORIGIN_URL WORKDIR CERT_PEM KEY_PEM");
            return 2;
        }

        var port = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        var origin = new Uri(args[2]);
        using var stop = new CancellationTokenSource();
        // Kestrel's console lifetime swallows SIGTERM and SIGINT, so cancel explicitly and let Main return.
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => stop.Cancel());
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => stop.Cancel());
        if (args[0] == "bare")
        {
            await RunBareAsync(port, origin, stop.Token);
        }
        else if (args[0] == "rate")
        {
            await RunPublicEdgeAsync(args[3], RateToml(origin, args[4]), listen: $"127.0.0.1:{port}", stop.Token);
        }
        else if (args[0] == "tls")
        {
            var listener = $$"""

                [[listeners]]
                address = "127.0.0.1:{{port}}"

                [[listeners.certificates]]
                cert = "{{Path.GetFullPath(args[4])}}"
                key = "{{Path.GetFullPath(args[5])}}"

                """;
            await RunPublicEdgeAsync(args[3], RateToml(origin, "none") + listener, listen: null, stop.Token);
        }
        else
        {
            await RunEdgeAsync(port, origin, args[3], stop.Token);
        }

        return 0;
    }

    private static async Task RunBareAsync(int port, Uri origin, CancellationToken stop)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddHttpForwarder();
        await using var app = builder.Build();
        using var client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        });
        var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        var destination = origin.ToString();
        app.Run(async context => await forwarder.SendAsync(context, destination, client));
        await app.StartAsync(stop);
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }

        await app.StopAsync(CancellationToken.None);
    }

    private static async Task RunEdgeAsync(int port, Uri origin, string workDirectory, CancellationToken stop)
    {
        await using var issuer = await DevIssuer.StartAsync(
            new DevIssuerOptions { ListenAddress = "127.0.0.1:0" }, NullLoggerFactory.Instance, stop);
        var config = EdgeConfigLoader.Parse(EdgeToml(origin, issuer.IssuerUri), Path.Combine(workDirectory, "edge.toml"), new Dictionary<string, string>());
        var ring = KeyRing.OpenDirectory(Path.Combine(workDirectory, "keys"));
        var tokens = new OidcTokenValidator(config.Providers, httpClient: null, TimeProvider.System, NullLogger.Instance);
        await using var edge = await EdgeHost.StartAsync(
            config,
            new EdgeHostOptions
            {
                LoggerFactory = NullLoggerFactory.Instance,
                Decisions = new DiscardDecisions(),
                Assertions = new EdgeAssertionIssuer(ring, config.AssertionLifetime),
                PublicJwks = ring.PublicJwksJson,
                Tokens = tokens,
                Listen = $"127.0.0.1:{port}",
            },
            stop);

        using var http = new HttpClient();
        var token = await DevTokenClient.RequestAccessTokenAsync(issuer.IssuerUri, "alice", password: null, http, stop);
        await File.WriteAllTextAsync(Path.Combine(workDirectory, "token"), token, stop);
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Every step of the pipeline on: header normalization and deny list, two rate limits that never trip,
    // a protected route (token validation, cached after the first request), an A/B experiment and the assertion.
    private static string EdgeToml(Uri origin, Uri issuer) => $$"""
        [balancer]
        url = "{{origin}}"

        [headers]
        deny = ["X-Debug-*"]

        [[providers]]
        issuer = "{{issuer}}"
        audience = "gatehouse"
        allow_http = true

        [[routes]]
        prefix = "/api/"
        kind = "protected"

        [[rate_limits]]
        name = "per-client"
        key = "client_ip"
        window = "10s"
        limit = 70000000

        [[rate_limits]]
        name = "per-subject"
        key = "subject"
        window = "10s"
        limit = 70000000

        [[experiments]]
        name = "checkout"
        prefix = "/api/"
        sticky = "subject"
        variants = [{ name = "control", weight = 50 }, { name = "new", weight = 50 }]
        """;

    // LISTEN null leaves the edge to the [[listeners]] in TOML.
    private static async Task RunPublicEdgeAsync(string workDirectory, string toml, string? listen, CancellationToken stop)
    {
        var config = EdgeConfigLoader.Parse(toml, Path.Combine(workDirectory, "edge.toml"), new Dictionary<string, string>());
        await using var stores = await EdgeStores.OpenAsync(config, Path.Combine(workDirectory, "keys"), NullLoggerFactory.Instance, TimeProvider.System);
        await using var edge = await EdgeHost.StartAsync(
            config,
            new EdgeHostOptions
            {
                LoggerFactory = NullLoggerFactory.Instance,
                Decisions = new DiscardDecisions(),
                Assertions = new EdgeAssertionIssuer(stores.KeyRing, config.AssertionLifetime),
                PublicJwks = stores.KeyRing.PublicJwksJson,
                Listen = listen,
                RateCounter = stores.RateCounter,
                PenaltyBox = stores.PenaltyBox,
                Signals = stores.Signals,
            },
            stop);
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    // The limit never trips, so every request is counted and forwarded; only the counter's home changes.
    private static string RateToml(Uri origin, string counters)
    {
        var toml = $$"""
            [balancer]
            url = "{{origin}}"

            [[routes]]
            prefix = "/"
            kind = "public"

            """;
        if (counters == "none")
        {
            return toml;
        }

        toml += """

            [[rate_limits]]
            name = "per-client"
            key = "client_ip"
            window = "10s"
            limit = 70000000

            """;
        if (counters.StartsWith("redis=", StringComparison.Ordinal))
        {
            toml += $$"""

                [redis]
                endpoints = ["{{counters["redis=".Length..]}}"]
                key_prefix = "bench:"

                """;
        }
        else if (counters != "memory")
        {
            throw new ArgumentException($"counters must be none, memory or redis=HOST:PORT, not '{counters}'");
        }

        return toml;
    }

    private sealed class DiscardDecisions : IDecisionSink
    {
        public void Write(DecisionRecord record)
        {
        }
    }
}
