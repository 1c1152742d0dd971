using Gatehouse.Telemetry.Tracing;

namespace Gatehouse.Telemetry.Decisions.Sinks;

/// <summary>Where an <see cref="OtlpLogWriter"/> exports decision records as OpenTelemetry log records.</summary>
/// <param name="Endpoint">
/// The collector's base address, such as <c>http://127.0.0.1:4318</c>; with http/protobuf the exporter posts to
/// <c>/v1/logs</c> under it, the same rule the trace exporter follows for <c>/v1/traces</c>.
/// </param>
/// <param name="ServiceName">The <c>service.name</c> resource attribute, such as <c>gatehouse-edge</c>.</param>
/// <param name="Protocol"><c>http/protobuf</c> (the default) or <c>grpc</c>, as in <see cref="OtlpTraceOptions"/>.</param>
public sealed record OtlpLogOptions(Uri Endpoint, string ServiceName, string Protocol = OtlpTraceOptions.HttpProtobuf)
{
    /// <summary>The URL the exporter sends to.</summary>
    public Uri ExportUrl =>
        Protocol == OtlpTraceOptions.Grpc ? Endpoint : new Uri(Endpoint.ToString().TrimEnd('/') + "/v1/logs");

    /// <summary>Time allowed for one export request, and for the flush that waits for it. Default 10 seconds.</summary>
    public TimeSpan ExportTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
