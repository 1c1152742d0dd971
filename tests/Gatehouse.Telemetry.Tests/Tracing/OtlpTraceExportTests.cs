using System.Diagnostics;
using Gatehouse.Telemetry.Tracing;

namespace Gatehouse.Telemetry.Tests.Tracing;

public sealed class OtlpTraceExportTests
{
    [Fact]
    public async Task Export_HttpProtobuf_PostsTraceIdToV1Traces()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var sourceName = "Gatehouse.Tests.Otlp." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);
        using var export = OtlpTraceExport.Start(new OtlpTraceOptions(receiver.Address, "gatehouse-test"), sourceName);

        var span = RequestSpan.Start(source, "request", parent: null, traceState: null);
        Assert.NotNull(span.Activity);
        span.Activity.Stop();
        export.Flush(TimeSpan.FromSeconds(20));

        var traceIdBytes = Convert.FromHexString(span.TraceId.ToHexString());
        var post = await receiver.WaitForAsync("/v1/traces", traceIdBytes);
        Assert.Equal("application/x-protobuf", post.ContentType);
        Assert.True(post.Body.AsSpan().IndexOf("gatehouse-test"u8) >= 0, "service.name missing from the export");
    }

    [Fact]
    public void FromEnvironment_NoEndpoint_ReturnsNull()
    {
        Assert.Null(OtlpTraceOptions.FromEnvironment("gatehouse-balancer", _ => null));
    }

    [Fact]
    public void FromEnvironment_BaseEndpoint_AppendsSignalPath()
    {
        var variables = new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4318" };

        var options = OtlpTraceOptions.FromEnvironment("gatehouse-balancer", name => variables.GetValueOrDefault(name));

        Assert.NotNull(options);
        Assert.Equal(new Uri("http://127.0.0.1:4318/v1/traces"), options.ExportUrl);
        Assert.Equal("gatehouse-balancer", options.ServiceName);
        Assert.Equal(OtlpTraceOptions.HttpProtobuf, options.Protocol);
    }

    [Fact]
    public void FromEnvironment_TracesEndpointAndServiceName_UsedAsGiven()
    {
        var variables = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:1",
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "http://127.0.0.1:4318/custom/traces",
            ["OTEL_SERVICE_NAME"] = "lb-west",
        };

        var options = OtlpTraceOptions.FromEnvironment("gatehouse-balancer", name => variables.GetValueOrDefault(name));

        Assert.NotNull(options);
        Assert.Equal(new Uri("http://127.0.0.1:4318/custom/traces"), options.ExportUrl);
        Assert.Equal("lb-west", options.ServiceName);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "127.0.0.1:4318", "environment variable OTEL_EXPORTER_OTLP_ENDPOINT: expected an http or https URL")]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json", "environment variable OTEL_EXPORTER_OTLP_PROTOCOL: expected \"http/protobuf\" or \"grpc\"; got \"http/json\"")]
    public void FromEnvironment_InvalidValue_Throws(string name, string value, string message)
    {
        var variables = new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4318", [name] = value };

        var error = Assert.Throws<ArgumentException>(() => OtlpTraceOptions.FromEnvironment("gatehouse-balancer", n => variables.GetValueOrDefault(n)));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
