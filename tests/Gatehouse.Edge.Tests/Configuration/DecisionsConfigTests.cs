using Gatehouse.Edge.Configuration;
using Gatehouse.Telemetry.Decisions.Sinks;

namespace Gatehouse.Edge.Tests.Configuration;

public sealed class DecisionsConfigTests
{
    private static readonly Dictionary<string, string> NoVariables = new();

    private static EdgeConfig Load(string toml) => EdgeConfigLoader.Parse(toml, "/tmp/gh/edge.toml", NoVariables);

    private static string Reject(string toml) =>
        Assert.Single(Assert.Throws<EdgeConfigException>(() => Load(toml)).Errors);

    [Fact]
    public void Decisions_Absent_NoSinks()
    {
        var decisions = Load("").Decisions;

        Assert.False(decisions.Any);
        Assert.Null(decisions.QueueCapacity);
    }

    [Fact]
    public void Decisions_EveryKey_Read()
    {
        var decisions = Load("""
            [decisions]
            file = "records/edge.jsonl"
            max_file_bytes = 1048576
            max_file_age = "7d"
            keep_files = 10
            stdout = true
            syslog = "tcp://[::1]:6514"
            syslog_facility = "local3"
            otlp_endpoint = "http://127.0.0.1:4318"
            otlp_protocol = "grpc"
            queue_capacity = 2048
            """).Decisions;

        var file = Assert.Single(decisions.Files);
        Assert.Equal("/tmp/gh/records/edge.jsonl", file.Path);
        Assert.Equal(1048576, file.MaxBytes);
        Assert.Equal(TimeSpan.FromDays(7), file.MaxAge);
        Assert.Equal(10, file.KeepFiles);
        Assert.True(decisions.Stdout);
        var syslog = Assert.Single(decisions.Syslog);
        Assert.Equal("::1", syslog.Host);
        Assert.Equal(6514, syslog.Port);
        Assert.Equal(SyslogTransport.Tcp, syslog.Transport);
        Assert.Equal(19, syslog.Facility);
        var otlp = Assert.Single(decisions.Otlp);
        Assert.Equal("grpc", otlp.Protocol);
        Assert.Equal("gatehouse-edge", otlp.ServiceName);
        Assert.Equal(2048, decisions.QueueCapacity);
    }

    [Fact]
    public void Decisions_SyslogDefaults_UdpPort514Local0()
    {
        var syslog = Assert.Single(Load("[decisions]\nsyslog = \"udp://logs.example\"\n").Decisions.Syslog);

        Assert.Equal("logs.example", syslog.Host);
        Assert.Equal(514, syslog.Port);
        Assert.Equal(SyslogTransport.Udp, syslog.Transport);
        Assert.Equal(16, syslog.Facility);
    }

    [Fact]
    public void Decisions_NumericFacility_Read()
    {
        var syslog = Assert.Single(Load("[decisions]\nsyslog = \"udp://127.0.0.1:514\"\nsyslog_facility = 23\n").Decisions.Syslog);

        Assert.Equal(23, syslog.Facility);
    }

    [Fact]
    public void Decisions_OtlpFollowsTelemetry_ServiceNameAndProtocol()
    {
        var otlp = Assert.Single(Load("""
            [telemetry]
            otlp_endpoint = "http://127.0.0.1:4317"
            service_name = "edge-eu"
            protocol = "grpc"

            [decisions]
            otlp_endpoint = "http://127.0.0.1:4317"
            """).Decisions.Otlp);

        Assert.Equal("edge-eu", otlp.ServiceName);
        Assert.Equal("grpc", otlp.Protocol);
        Assert.Equal(new Uri("http://127.0.0.1:4317"), otlp.ExportUrl);
    }

    [Fact]
    public void Decisions_OtlpHttp_PostsToV1Logs()
    {
        var otlp = Assert.Single(Load("[decisions]\notlp_endpoint = \"http://127.0.0.1:4318\"\n").Decisions.Otlp);

        Assert.Equal(new Uri("http://127.0.0.1:4318/v1/logs"), otlp.ExportUrl);
    }

    [Theory]
    [InlineData("syslog = \"http://127.0.0.1:514\"",
        "edge.toml:2: key 'syslog' in [decisions] must be udp://HOST:PORT or tcp://HOST:PORT, for example syslog = \"udp://127.0.0.1:514\"; got \"http://127.0.0.1:514\"")]
    [InlineData("syslog = \"udp://127.0.0.1:70000\"",
        "edge.toml:2: key 'syslog' in [decisions] must be udp://HOST:PORT or tcp://HOST:PORT, for example syslog = \"udp://127.0.0.1:514\"; got \"udp://127.0.0.1:70000\"")]
    [InlineData("syslog = \"127.0.0.1:514\"",
        "edge.toml:2: key 'syslog' in [decisions] must be udp://HOST:PORT or tcp://HOST:PORT, for example syslog = \"udp://127.0.0.1:514\"; got \"127.0.0.1:514\"")]
    [InlineData("syslog = \"udp://127.0.0.1:514\"\nsyslog_facility = \"local9\"",
        "edge.toml:3: key 'syslog_facility' in [decisions] must be a facility name such as local0 (kern, user, daemon, auth, local0 to local7, ...) or a number from 0 to 23; got \"local9\"")]
    [InlineData("syslog_facility = \"local0\"",
        "edge.toml:2: key 'syslog_facility' in [decisions] needs 'syslog'; add syslog = \"udp://127.0.0.1:514\" or remove the key")]
    [InlineData("max_file_bytes = 100000",
        "edge.toml:2: key 'max_file_bytes' in [decisions] applies to the decision file, but the section sets no 'file'; add file = \"decisions/edge.jsonl\" or remove the key")]
    [InlineData("file = \"edge.jsonl\"\nmax_file_bytes = 0",
        "edge.toml:3: key 'max_file_bytes' in [decisions] must be an integer from 4096 to 68719476736; got 0")]
    [InlineData("file = \"edge.jsonl\"\nmax_file_age = \"400d\"",
        "edge.toml:3: key 'max_file_age' in [decisions] must be a duration from \"1s\" to \"8784h\"; got \"400d\"")]
    [InlineData("file = \"edge.jsonl\"\nmax_file_age = \"soon\"",
        "edge.toml:3: key 'max_file_age' in [decisions] must be a duration such as \"500ms\", \"30s\", \"5m\" or \"1h\"; got \"soon\"")]
    [InlineData("file = \"  \"",
        "edge.toml:2: key 'file' in [decisions] must be a file path, for example file = \"decisions/edge.jsonl\"; got \"\"")]
    [InlineData("stdout = \"yes\"",
        "edge.toml:2: key 'stdout' in [decisions] must be true or false; got \"yes\"")]
    [InlineData("queue_capacity = 0",
        "edge.toml:2: key 'queue_capacity' in [decisions] must be an integer from 1 to 1048576; got 0")]
    [InlineData("otlp_endpoint = \"127.0.0.1:4318\"",
        "edge.toml:2: key 'otlp_endpoint' in [decisions]: expected an http or https URL without a query, such as \"http://127.0.0.1:4318\"; got \"127.0.0.1:4318\"")]
    [InlineData("otlp_endpoint = \"http://127.0.0.1:4318\"\notlp_protocol = \"http/json\"",
        "edge.toml:3: key 'otlp_protocol' in [decisions]: expected \"http/protobuf\" or \"grpc\"; got \"http/json\"")]
    [InlineData("otlp_protocol = \"grpc\"",
        "edge.toml:2: key 'otlp_protocol' in [decisions] needs 'otlp_endpoint'; add otlp_endpoint = \"http://127.0.0.1:4318\" or remove the key")]
    public void Decisions_InvalidValue_RejectedWithLine(string body, string message)
    {
        Assert.Equal(message, Reject("[decisions]\n" + body + "\n"));
    }

    [Fact]
    public void Decisions_UnknownKey_Rejected()
    {
        var message = Reject("[decisions]\nsyslogg = \"udp://127.0.0.1:514\"\n");

        Assert.StartsWith("edge.toml:2: ", message, StringComparison.Ordinal);
        Assert.Contains("'syslogg'", message, StringComparison.Ordinal);
    }
}
