using Gatehouse.Balancer.Configuration;
using Gatehouse.Telemetry.Decisions.Sinks;

namespace Gatehouse.Balancer.Tests.Configuration;

public sealed class DecisionsKeywordTests
{
    private const string Proxies = "frontend fe\n    bind 127.0.0.1:0\n    default_backend be\nbackend be\n    server s1 127.0.0.1:9000\n";

    // The global lines are lines 2, 3, ... of the file.
    private static BalancerConfig Load(params string[] globalLines) =>
        BalancerConfigLoader.Parse(Text(globalLines), "/tmp/gh/haproxy.cfg", new Dictionary<string, string>());

    private static string Reject(params string[] globalLines)
    {
        var exception = Assert.Throws<ConfigException>(() => Load(globalLines));
        return Assert.Single(exception.Errors);
    }

    private static string Text(string[] globalLines) =>
        "global\n" + string.Concat(globalLines.Select(line => "    " + line + "\n")) + Proxies;

    [Fact]
    public void GatehouseDecisions_Absent_NoSinks()
    {
        var decisions = Load().Decisions;

        Assert.False(decisions.Any);
        Assert.Null(decisions.QueueCapacity);
    }

    [Fact]
    public void GatehouseDecisions_EveryDestination_Read()
    {
        var decisions = Load(
            "gatehouse-decisions file records/balancer.jsonl max-size 16m max-age 7d keep 5",
            "gatehouse-decisions stdout",
            "gatehouse-decisions syslog tcp@127.0.0.1:6514 facility local1",
            "gatehouse-decisions syslog logs.example",
            "gatehouse-decisions otlp http://127.0.0.1:4317 protocol grpc service-name lb-west",
            "gatehouse-decisions queue-capacity 4096").Decisions;

        var file = Assert.Single(decisions.Files);
        Assert.Equal("/tmp/gh/records/balancer.jsonl", file.Path);
        Assert.Equal(16L * 1024 * 1024, file.MaxBytes);
        Assert.Equal(TimeSpan.FromDays(7), file.MaxAge);
        Assert.Equal(5, file.KeepFiles);
        Assert.True(decisions.Stdout);
        Assert.Equal(2, decisions.Syslog.Count);
        Assert.Equal(("127.0.0.1", 6514, SyslogTransport.Tcp, 17), (decisions.Syslog[0].Host, decisions.Syslog[0].Port, decisions.Syslog[0].Transport, decisions.Syslog[0].Facility));
        Assert.Equal(("logs.example", 514, SyslogTransport.Udp, 16), (decisions.Syslog[1].Host, decisions.Syslog[1].Port, decisions.Syslog[1].Transport, decisions.Syslog[1].Facility));
        var otlp = Assert.Single(decisions.Otlp);
        Assert.Equal(new Uri("http://127.0.0.1:4317"), otlp.ExportUrl);
        Assert.Equal("grpc", otlp.Protocol);
        Assert.Equal("lb-west", otlp.ServiceName);
        Assert.Equal(4096, decisions.QueueCapacity);
    }

    [Fact]
    public void GatehouseDecisions_OtlpDefaults_HttpProtobufBalancerName()
    {
        var otlp = Assert.Single(Load("gatehouse-decisions otlp http://127.0.0.1:4318").Decisions.Otlp);

        Assert.Equal(new Uri("http://127.0.0.1:4318/v1/logs"), otlp.ExportUrl);
        Assert.Equal("gatehouse-balancer", otlp.ServiceName);
    }

    [Theory]
    [InlineData("gatehouse-decisions",
        "/tmp/gh/haproxy.cfg:2: 'gatehouse-decisions' expects 'file PATH', 'stdout', 'syslog [udp@|tcp@]HOST:PORT', 'otlp URL' or 'queue-capacity COUNT'")]
    [InlineData("gatehouse-decisions kafka broker:9092",
        "/tmp/gh/haproxy.cfg:2: 'gatehouse-decisions' expects 'file PATH', 'stdout', 'syslog [udp@|tcp@]HOST:PORT', 'otlp URL' or 'queue-capacity COUNT', got 'kafka'")]
    [InlineData("gatehouse-decisions file",
        "/tmp/gh/haproxy.cfg:2: 'gatehouse-decisions file' expects a path, such as 'gatehouse-decisions file decisions/balancer.jsonl'")]
    [InlineData("gatehouse-decisions file d.jsonl max-size 1k",
        "/tmp/gh/haproxy.cfg:2: 'gatehouse-decisions file': 'max-size' expects a size from 4096 bytes to 64g with an optional k, m or g suffix, such as 64m, got '1k'")]
    [InlineData("gatehouse-decisions file d.jsonl max-age 400d",
        "/tmp/gh/haproxy.cfg:2: 'gatehouse-decisions file': 'max-age' expects a time from 1s to 366d, such as 1h or 7d, got '400d'")]
    [InlineData("gatehouse-decisions file d.jsonl max-age",
        "/tmp/gh/haproxy.cfg:2: 'gatehouse-decisions file': option 'max-age' needs a value")]
    [InlineData("gatehouse-decisions file d.jsonl rotate 1h",
        "/tmp/gh/haproxy.cfg:2: 'gatehouse-decisions file': unknown option 'rotate'; expected max-size, max-age, keep")]
    [InlineData("gatehouse-decisions stdout now",
        "/tmp/gh/haproxy.cfg:2: 'gatehouse-decisions stdout' takes no arguments, got 'now'")]
    [InlineData("gatehouse-decisions syslog http@127.0.0.1:514",
        "/tmp/gh/haproxy.cfg:2: 'gatehouse-decisions syslog' expects [udp@|tcp@]HOST[:PORT], such as udp@127.0.0.1:514, got 'http@127.0.0.1:514'")]
    [InlineData("gatehouse-decisions syslog udp@127.0.0.1:0",
        "/tmp/gh/haproxy.cfg:2: 'gatehouse-decisions syslog' expects [udp@|tcp@]HOST[:PORT], such as udp@127.0.0.1:514, got 'udp@127.0.0.1:0'")]
    [InlineData("gatehouse-decisions syslog udp@127.0.0.1:514 facility local8",
        "/tmp/gh/haproxy.cfg:2: 'gatehouse-decisions syslog': 'facility' expects a facility name such as local0 (kern, user, daemon, auth, local0 to local7, ...) or a number from 0 to 23, got 'local8'")]
    [InlineData("gatehouse-decisions otlp 127.0.0.1:4318",
        "/tmp/gh/haproxy.cfg:2: 'gatehouse-decisions otlp' expected an http or https URL without a query, such as \"http://127.0.0.1:4318\"; got \"127.0.0.1:4318\"")]
    [InlineData("gatehouse-decisions otlp http://127.0.0.1:4318 protocol http/json",
        "/tmp/gh/haproxy.cfg:2: 'gatehouse-decisions otlp': 'protocol' expects http/protobuf or grpc, got 'http/json'")]
    [InlineData("gatehouse-decisions queue-capacity 0",
        "/tmp/gh/haproxy.cfg:2: 'gatehouse-decisions queue-capacity' expects one count from 1 to 1048576, such as 16384")]
    public void GatehouseDecisions_InvalidLine_ReportsExactError(string line, string expected)
    {
        Assert.Equal(expected, Reject(line));
    }

    [Fact]
    public void GatehouseDecisions_StdoutTwice_ReportsEarlierLine()
    {
        Assert.Equal(
            "/tmp/gh/haproxy.cfg:3: 'gatehouse-decisions stdout' is already set at /tmp/gh/haproxy.cfg:2; remove this line",
            Reject("gatehouse-decisions stdout", "gatehouse-decisions stdout"));
    }

    [Fact]
    public void GatehouseDecisions_NineDestinations_RejectsNinth()
    {
        var lines = Enumerable.Range(1, 9).Select(i => $"gatehouse-decisions syslog udp@127.0.0.1:{5000 + i}").ToArray();

        Assert.Equal(
            "/tmp/gh/haproxy.cfg:10: 'gatehouse-decisions': at most 8 destinations are supported; remove one of the earlier lines",
            Reject(lines));
    }

    [Fact]
    public void GatehouseDecisions_InFrontend_Rejected()
    {
        var text = "frontend fe\n    bind 127.0.0.1:0\n    gatehouse-decisions stdout\n    default_backend be\nbackend be\n    server s1 127.0.0.1:9000\n";

        var exception = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(text, "t.cfg", new Dictionary<string, string>()));

        Assert.StartsWith("t.cfg:3: unknown keyword 'gatehouse-decisions'", Assert.Single(exception.Errors), StringComparison.Ordinal);
    }
}
