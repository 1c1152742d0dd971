using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Tests.Runtime;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Observability;

public sealed partial class AccessLogTests
{
    [GeneratedRegex("""^<134>[A-Z][a-z]{2} [ 1-3]\d \d\d:\d\d:\d\d haproxy\[\d+\]: 127\.0\.0\.1:(\d+) \[\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d\.\d{3}\] (.*)\n$""")]
    private static partial Regex Rfc3164Line();

    private static async Task<string> ReceiveAsync(UdpClient listener)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var datagram = await listener.ReceiveAsync(timeout.Token);
        return Encoding.UTF8.GetString(datagram.Buffer);
    }

    private static UdpClient Listen() => new(new IPEndPoint(IPAddress.Loopback, 0));

    private static int PortOf(UdpClient listener) => ((IPEndPoint)listener.Client.LocalEndPoint!).Port;

    [Fact]
    public async Task HttpLog_SendsHaproxyLineOverUdp()
    {
        using var listener = Listen();
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync($$"""
            global
                log 127.0.0.1:{{PortOf(listener)}} local0
            defaults
                log global
                option httplog
            frontend fe
                bind 127.0.0.1:0
                default_backend b
            backend b
                server s1 {{origin.Address}}
            """);

        using var response = await balancer.SendAsync(Get("/page?x=1"));
        var line = await ReceiveAsync(listener);
        var match = Rfc3164Line().Match(line);
        var fields = match.Groups[2].Value.Split(' ');

        Assert.True(match.Success, line);
        Assert.Equal("fe", fields[0]);
        Assert.Equal("b/s1", fields[1]);
        Assert.Matches(@"^0/\d+/0/\d+/\d+$", fields[2]);
        Assert.Equal("200", fields[3]);
        // The echo origin's body is chunked, which the byte count leaves out, so only the headers are counted.
        Assert.InRange(long.Parse(fields[4]), HeaderBytes(response) - 64, HeaderBytes(response) + 64);
        Assert.Equal(["-", "-", "----"], fields[5..8]);
        Assert.Matches(@"^\d+/\d+/\d+/\d+/0$", fields[8]);
        Assert.Equal("0/0", fields[9]);
        Assert.Equal("\"GET /page?x=1 HTTP/1.1\"", string.Join(' ', fields[10..]));
    }

    [Fact]
    public async Task LogFormat_RendersVariablesForDeniedRequest()
    {
        using var listener = Listen();
        await using var balancer = await StartAsync($$"""
            frontend fe
                bind 127.0.0.1:0
                log 127.0.0.1:{{PortOf(listener)}} format rfc5424 local1
                log-format "%ft %b/%s %ST %tsc %{+Q}r id=%ID"
                http-request deny if { path /no }
                default_backend b
            backend b
                server s1 127.0.0.1:1
            """);

        using var response = await balancer.SendAsync(Get("/no"));
        var line = await ReceiveAsync(listener);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Matches("""^<142>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d \S+ haproxy \d+ - - fe fe/<NOSRV> 403 PR-- "GET /no HTTP/1.1" id=\S+\n$""", line);
        Assert.Contains("id=" + response.Headers.GetValues("X-Request-Id").Single(), line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpLog_NoServer_LogsTerminationState()
    {
        using var listener = Listen();
        await using var balancer = await StartAsync($$"""
            frontend fe
                bind 127.0.0.1:0
                log 127.0.0.1:{{PortOf(listener)}} format raw local0
                option httplog
                default_backend b
            backend b
                server s1 127.0.0.1:{{RefusedPort()}}
            """);

        using var response = await balancer.SendAsync(Get("/x"));
        var fields = (await ReceiveAsync(listener)).Split(' ');

        Assert.Equal("b/s1", fields[3]);
        Assert.Equal("502", fields[5]);
        Assert.Equal("SC--", fields[9]);
    }

    [Theory]
    [InlineData("log 127.0.0.1:514", "t.cfg:2: 'log': expects a facility after the address, such as 'local0'")]
    [InlineData("log 127.0.0.1:514 local9", "t.cfg:2: 'log': unknown facility 'local9'; expected one of kern, user")]
    [InlineData("log host.example:514 local0", "t.cfg:2: 'log': invalid address 'host.example:514'; expected IP[:PORT] such as 127.0.0.1:514, stdout or stderr")]
    [InlineData("log stdout format json local0", "t.cfg:2: 'log': unknown format 'json'; expected one of rfc3164, rfc5424, raw, short")]
    [InlineData("log global", "t.cfg:2: 'log global' is only allowed in defaults, frontend, backend and listen sections")]
    [InlineData("log 127.0.0.1 local0 loud", "t.cfg:2: 'log': unknown level 'loud'; expected one of emerg")]
    public void GlobalLog_Invalid_ReportsLine(string line, string message)
    {
        var cfg = $"""
            global
                {line}
            frontend fe
                bind 127.0.0.1:0
                default_backend b
            backend b
                server s1 127.0.0.1:1
            """;

        var error = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(cfg, "t.cfg", new Dictionary<string, string>()));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LogFormat_UnknownVariable_ReportsLine()
    {
        var cfg = """
            frontend fe
                bind 127.0.0.1:0
                log-format "%ci %zz"
                default_backend b
            backend b
                server s1 127.0.0.1:1
            """;

        var error = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(cfg, "t.cfg", new Dictionary<string, string>()));

        Assert.Contains("t.cfg:3: 'log-format': log-format variable '%zz' in '%ci %zz' is not supported yet", error.Message, StringComparison.Ordinal);
    }

    // The status line and headers as the balancer counts them: "HTTP/1.1 200 OK\r\n", "Name: value\r\n" each, "\r\n".
    private static long HeaderBytes(HttpResponseMessage response)
    {
        long size = "HTTP/1.1 200 OK\r\n\r\n".Length;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            size += header.Value.Sum(value => header.Key.Length + 2 + value.Length + 2);
        }

        return size;
    }
}
