using System.Net;
using Gatehouse.DevStack.Identity;
using Gatehouse.Edge.Compute.Tests;
using Gatehouse.Edge.Tests.Support;
using Gatehouse.Trust.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using static Gatehouse.Edge.Tests.Telemetry.PrometheusText;

namespace Gatehouse.Edge.Tests.Telemetry;

public sealed class MetricsListenerTests
{
    private const string PublicRoute = "[[routes]]\nprefix = \"/api/\"\nkind = \"public\"\n";

    [Fact]
    public async Task Scrape_AfterForwardedRequests_CountsDecisions()
    {
        await using var edge = await MetricsEdge.StartAsync(PublicRoute);
        for (var i = 0; i < 2; i++)
        {
            using var response = await edge.GetAsync("/api/x");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var samples = await edge.ScrapeUntilAsync(s => Sum(s, "gatehouse_edge_decisions_total", "\"action\": \"forward\"") >= 2);

        // [balancer] takes three lines and [metrics] three more, so the route is at line 7.
        Assert.Equal(2, samples[Key("gatehouse_edge_decisions_total", """{"action": "forward", "rule": "route /api/ (edge.toml:7)"}""")]);
        Assert.Equal(0, samples[Key("gatehouse_edge_penalty_box_entries", "{}")]);
    }

    [Fact]
    public async Task Scrape_RateLimitedRequest_CountsHitAndPenaltyBox()
    {
        var toml = PublicRoute + "\n[[rate_limits]]\nname = \"burst\"\nkey = \"client_ip\"\nwindow = \"1s\"\nlimit = 1\npenalty = \"1m\"\n";
        await using var edge = await MetricsEdge.StartAsync(toml);
        var limited = 0;
        for (var i = 0; i < 10 && limited == 0; i++)
        {
            using var response = await edge.GetAsync("/api/x");
            limited += response.StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
        }

        Assert.Equal(1, limited);
        var samples = await edge.ScrapeUntilAsync(s => Sum(s, "gatehouse_edge_rate_limit_hits_total", "burst") >= 1);

        Assert.Equal(1, samples[Key("gatehouse_edge_rate_limit_hits_total", """{"rule": "rate_limit burst (edge.toml:11)"}""")]);
        Assert.Equal(1, samples[Key("gatehouse_edge_penalty_box_entries", "{}")]);
    }

    [Fact]
    public async Task Scrape_ExpiredToken_CountsExpiredResult()
    {
        await using var issuer = await DevIssuer.StartAsync(
            new DevIssuerOptions { ListenAddress = "127.0.0.1:0" }, NullLoggerFactory.Instance, CancellationToken.None);
        var time = new ShiftedTime();
        var provider = new OidcProviderOptions { Issuer = issuer.IssuerUri.ToString(), Audience = "gatehouse", AllowHttp = true };
        var toml = $"[[providers]]\nissuer = \"{issuer.IssuerUri}\"\naudience = \"gatehouse\"\nallow_http = true\n\n"
            + "[[routes]]\nprefix = \"/api/\"\nkind = \"protected\"\n";
        await using var edge = await MetricsEdge.StartAsync(
            toml, new OidcTokenValidator([provider], httpClient: null, time, NullLoggerFactory.Instance.CreateLogger("Gatehouse.Trust")));
        var token = await DevTokenClient.RequestAccessTokenAsync(issuer.IssuerUri, "alice", password: null, edge.Http, CancellationToken.None);

        using (var valid = await edge.GetAsync("/api/x", token))
        {
            Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        }

        time.Advance(TimeSpan.FromDays(1));
        using (var expired = await edge.GetAsync("/api/x", token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        }

        var samples = await edge.ScrapeUntilAsync(s => s.ContainsKey(Key("gatehouse_edge_token_validations_total", """{"result": "expired"}""")));

        Assert.Equal(1, samples[Key("gatehouse_edge_token_validations_total", """{"result": "valid"}""")]);
        Assert.Equal(1, samples[Key("gatehouse_edge_token_validations_total", """{"result": "expired"}""")]);
        Assert.Equal(1, samples[Key("gatehouse_edge_token_validation_seconds_count", """{"result": "expired"}""")]);
    }

    [Fact]
    public async Task Scrape_GuestRequest_RecordsInstantiationAndRunTime()
    {
        var wasm = await GuestBuild.BuildAsync("hello");
        await using var edge = await MetricsEdge.StartAsync($"[[routes]]\nprefix = \"/hello/\"\nkind = \"guest\"\nwasm = \"{wasm}\"\n");

        using (var response = await edge.GetAsync("/hello/world"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var samples = await edge.ScrapeUntilAsync(s => s.ContainsKey(Key("gatehouse_edge_guest_run_seconds_count", "{}")));

        Assert.Equal(1, samples[Key("gatehouse_edge_guest_instantiation_seconds_count", "{}")]);
        Assert.Equal(1, samples[Key("gatehouse_edge_guest_run_seconds_count", "{}")]);
        Assert.True(samples[Key("gatehouse_edge_guest_run_seconds_sum", "{}")] > 0);
        Assert.DoesNotContain(samples.Keys, key => key.StartsWith("gatehouse_edge_guest_limit_kills_total", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Panel_LimitedApiKey_ShowsHashNotKey()
    {
        const string apiKey = "sk_live_do_not_show_me";
        var toml = PublicRoute + "\n[[rate_limits]]\nname = \"per-key\"\nkey = \"header:X-Api-Key\"\nwindow = \"1s\"\nlimit = 1\npenalty = \"1m\"\n";
        await using var edge = await MetricsEdge.StartAsync(toml);
        for (var i = 0; i < 3; i++)
        {
            using var response = await edge.GetAsync("/api/x", apiKey: apiKey);
        }

        await edge.ScrapeUntilAsync(s => Sum(s, "gatehouse_edge_rate_limit_hits_total", "per-key") >= 2);
        using var panel = await edge.Http.GetAsync(new Uri(edge.Host.MetricsAddress!, "/"));
        var html = await panel.Content.ReadAsStringAsync();
        var stats = await edge.Http.GetStringAsync(new Uri(edge.Host.MetricsAddress!, "/stats"));

        Assert.Equal(HttpStatusCode.OK, panel.StatusCode);
        Assert.Equal("text/html; charset=utf-8", panel.Content.Headers.ContentType?.ToString());
        Assert.Contains("<meta http-equiv=\"refresh\" content=\"5\">", html);
        Assert.Contains($"<td>{Gatehouse.Edge.Telemetry.LimitedKeys.Hash(apiKey)}</td><td>rate_limit per-key (edge.toml:11)</td><td class=\"n\">2</td>", html);
        Assert.Contains("<p>Penalty box entries: <b id=\"penalty-box\">1</b></p>", html);
        Assert.Contains("<td>limit</td>", html);
        Assert.DoesNotContain(apiKey, html);
        Assert.Contains("Most limited keys", stats);
    }

    [Fact]
    public async Task Panel_LimitedClient_ShowsAddress()
    {
        var toml = PublicRoute + "\n[[rate_limits]]\nname = \"burst\"\nkey = \"client_ip\"\nwindow = \"1s\"\nlimit = 1\npenalty = \"1m\"\n";
        await using var edge = await MetricsEdge.StartAsync(toml);
        for (var i = 0; i < 2; i++)
        {
            using var response = await edge.GetAsync("/api/x");
        }

        await edge.ScrapeUntilAsync(s => Sum(s, "gatehouse_edge_rate_limit_hits_total", "burst") >= 1);
        var html = await edge.Http.GetStringAsync(new Uri(edge.Host.MetricsAddress!, "/"));

        Assert.Contains("<td>127.0.0.1</td><td>rate_limit burst (edge.toml:11)</td>", html);
    }

    [Fact]
    public async Task PublicListener_MetricsPath_IsNotServed()
    {
        await using var edge = await MetricsEdge.StartAsync("[[routes]]\nprefix = \"/\"\nkind = \"public\"\n");

        using var response = await edge.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();

        // The public route forwards /metrics to the balancer stand-in, which echoes the request as JSON.
        Assert.DoesNotContain("gatehouse_edge_", body);
        Assert.NotEqual(edge.Host.Address.Port, edge.Host.MetricsAddress!.Port);
    }

    [Fact]
    public async Task MetricsListener_CustomPath_ServesOnlyThatPath()
    {
        await using var edge = await MetricsEdge.StartAsync("[metrics]\nlisten = \"127.0.0.1:0\"\npath = \"/prom\"\n\n" + PublicRoute);

        var text = await edge.ReadMetricsAsync("/prom");
        using var old = await edge.Http.GetAsync(new Uri(edge.Host.MetricsAddress!, "/metrics"));
        using var post = await edge.Http.PostAsync(new Uri(edge.Host.MetricsAddress!, "/prom"), new StringContent(""));

        Assert.Contains("# TYPE gatehouse_edge_penalty_box_entries gauge", text);
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(IPAddress.Loopback.ToString(), edge.Host.MetricsAddress!.Host);
    }

    [Fact]
    public async Task Edge_WithoutMetricsSection_OpensNoMetricsListener()
    {
        await using var edge = await MetricsEdge.StartAsync(PublicRoute, metricsSection: false);

        Assert.Null(edge.Host.MetricsAddress);
    }

    private static double Sum(Dictionary<string, double> samples, string name, string labelPart) =>
        samples.Where(pair => pair.Key.StartsWith(name + "{", StringComparison.Ordinal) && pair.Key.Contains(labelPart, StringComparison.Ordinal))
            .Sum(pair => pair.Value);
}
