using Gatehouse.Edge.Configuration;
using Gatehouse.Telemetry.Tracing;

namespace Gatehouse.Edge.Tests.Tracing;

public sealed class TelemetryConfigTests
{
    private static readonly Dictionary<string, string> NoVariables = new();

    private static EdgeConfig Load(string toml) => EdgeConfigLoader.Parse(toml, "/tmp/edge.toml", NoVariables);

    private static string Reject(string toml) =>
        Assert.Single(Assert.Throws<EdgeConfigException>(() => Load(toml)).Errors);

    [Fact]
    public void Telemetry_Absent_NoExport()
    {
        Assert.Null(Load("").OtlpTraces);
    }

    [Fact]
    public void Telemetry_Endpoint_DefaultsToHttpProtobuf()
    {
        var options = Load("[telemetry]\notlp_endpoint = \"http://127.0.0.1:4318\"\n").OtlpTraces;

        Assert.NotNull(options);
        Assert.Equal(new Uri("http://127.0.0.1:4318/v1/traces"), options.ExportUrl);
        Assert.Equal("gatehouse-edge", options.ServiceName);
        Assert.Equal(OtlpTraceOptions.HttpProtobuf, options.Protocol);
    }

    [Fact]
    public void Telemetry_ServiceNameAndGrpc_Read()
    {
        var options = Load("[telemetry]\notlp_endpoint = \"http://127.0.0.1:4317\"\nservice_name = \"edge-eu\"\nprotocol = \"grpc\"\n").OtlpTraces;

        Assert.NotNull(options);
        Assert.Equal("edge-eu", options.ServiceName);
        Assert.Equal(new Uri("http://127.0.0.1:4317"), options.ExportUrl);
    }

    [Fact]
    public void Telemetry_EndpointWithoutScheme_Rejected()
    {
        Assert.Equal(
            "edge.toml:2: key 'otlp_endpoint' in [telemetry]: expected an http or https URL without a query, such as \"http://127.0.0.1:4318\"; got \"127.0.0.1:4318\"",
            Reject("[telemetry]\notlp_endpoint = \"127.0.0.1:4318\"\n"));
    }

    [Fact]
    public void Telemetry_UnknownProtocol_Rejected()
    {
        Assert.Equal(
            "edge.toml:3: key 'protocol' in [telemetry]: expected \"http/protobuf\" or \"grpc\"; got \"http/json\"",
            Reject("[telemetry]\notlp_endpoint = \"http://127.0.0.1:4318\"\nprotocol = \"http/json\"\n"));
    }

    [Fact]
    public void Telemetry_ServiceNameWithoutEndpoint_Rejected()
    {
        Assert.Equal(
            "edge.toml:1: [telemetry] sets service_name or protocol but no otlp_endpoint; add otlp_endpoint = \"http://127.0.0.1:4318\"",
            Reject("[telemetry]\nservice_name = \"edge\"\n"));
    }

    [Fact]
    public void Telemetry_UnknownKey_Rejected()
    {
        Assert.Contains("otlp_headers", Reject("[telemetry]\notlp_endpoint = \"http://127.0.0.1:4318\"\notlp_headers = \"x\"\n"), StringComparison.Ordinal);
    }
}
