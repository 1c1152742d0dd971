using System.Net;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Tests.Runtime;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Observability;

public sealed class PrometheusExporterTests
{
    private static string Config(EchoOrigin origin, int refused) => $$"""
        global
            maxconn 500
        frontend "fe"
            bind 127.0.0.1:0
            http-request use-service prometheus-exporter if { path /metrics }
            http-request deny if { path /blocked }
            use_backend broken if { path_beg /broken }
            default_backend b
        backend b
            server s1 {{origin.Address}}
        backend broken
            server dead 127.0.0.1:{{refused}}
        """;

    private static async Task<(HttpResponseMessage Response, string Body)> ScrapeAsync(BalancerTestHost balancer)
    {
        var response = await balancer.SendAsync(Get("/metrics"));
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Exporter_CountsBackendRequests()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin, RefusedPort()));
        for (var i = 0; i < 3; i++)
        {
            (await balancer.SendAsync(Get($"/page/{i}"))).Dispose();
        }

        var (response, body) = await ScrapeAsync(balancer);
        var families = await PrometheusParser.ParseAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(3, families.Value("haproxy_backend_http_requests_total", ("proxy", "b")));
        Assert.Equal(3, families.Value("haproxy_backend_http_responses_total", ("proxy", "b"), ("code", "2xx")));
        Assert.Equal(3, families.Value("haproxy_server_sessions_total", ("proxy", "b"), ("server", "s1")));
        Assert.Equal(3, families.Value("haproxy_server_http_responses_total", ("proxy", "b"), ("server", "s1"), ("code", "2xx")));
        Assert.Equal(0, families.Value("haproxy_backend_http_requests_total", ("proxy", "broken")));
        Assert.True(families.Value("haproxy_backend_bytes_out_total", ("proxy", "b")) > 0);
        Assert.True(families.Value("haproxy_frontend_bytes_in_total", ("proxy", "fe")) > 0);
        Assert.Equal(1, families.Value("haproxy_server_status", ("proxy", "b"), ("server", "s1"), ("state", "UP")));
        Assert.Equal(1, families.Value("haproxy_backend_active_servers", ("proxy", "b")));
        Assert.Equal(500, families.Value("haproxy_process_max_connections"));
    }

    [Fact]
    public async Task Exporter_CountsDeniedAndConnectionErrors()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin, RefusedPort()));
        using var denied = await balancer.SendAsync(Get("/blocked"));
        using var broken = await balancer.SendAsync(Get("/broken"));

        var (_, body) = await ScrapeAsync(balancer);
        var families = await PrometheusParser.ParseAsync(body);

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, broken.StatusCode);
        Assert.Equal(1, families.Value("haproxy_frontend_requests_denied_total", ("proxy", "fe")));
        Assert.Equal(1, families.Value("haproxy_backend_connection_errors_total", ("proxy", "broken")));
        Assert.Equal(1, families.Value("haproxy_server_connection_errors_total", ("proxy", "broken"), ("server", "dead")));
        Assert.Equal(1, families.Value("haproxy_frontend_http_responses_total", ("proxy", "fe"), ("code", "4xx")));
    }

    [Fact]
    public async Task Exporter_WritesEachFamilyOnceWithHelpAndType()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin, RefusedPort()));

        var (_, body) = await ScrapeAsync(balancer);
        var families = await PrometheusParser.ParseAsync(body);
        var lines = body.Split('\n');

        // The parser names a counter family without its "_total" suffix.
        Assert.All(families, family => Assert.Single(lines, line => IsHeader(line, "TYPE", family.Name)));
        Assert.All(families, family => Assert.Single(lines, line => IsHeader(line, "HELP", family.Name)));
        Assert.All(families, family => Assert.NotEmpty(family.Help));
        Assert.Contains(families, family => family.Name == "haproxy_frontend_sessions" && family.Type == "counter");
        Assert.Contains(families, family => family.Name == "haproxy_server_current_sessions" && family.Type == "gauge");
    }

    private static bool IsHeader(string line, string kind, string family) =>
        line.StartsWith($"# {kind} {family} ", StringComparison.Ordinal) || line.StartsWith($"# {kind} {family}_total ", StringComparison.Ordinal);

    [Fact]
    public void Exporter_EscapesLabelValues()
    {
        Assert.Equal("a\\\\b\\\"c\\nd", Stats.PrometheusText.EscapeLabel("a\\b\"c\nd"));
    }

    [Theory]
    [InlineData("http-request use-service lua.hello", "t.cfg:3: 'http-request use-service': service 'lua.hello' is not supported; the only service is prometheus-exporter")]
    [InlineData("http-request use-service", "t.cfg:3: 'http-request use-service': expects one service name, such as 'http-request use-service prometheus-exporter if { path /metrics }'")]
    public void UseService_InvalidService_ReportsLine(string line, string message)
    {
        var cfg = $"""
            frontend fe
                bind 127.0.0.1:0
                {line}
                default_backend b
            backend b
                server s1 127.0.0.1:1
            """;

        var error = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(cfg, "t.cfg", new Dictionary<string, string>()));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
