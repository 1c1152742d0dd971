using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gatehouse.Telemetry.Tracing;

/// <summary>
/// Exports the spans of the named <see cref="System.Diagnostics.ActivitySource"/>s over OTLP with the
/// OpenTelemetry SDK's batch processor. Dispose to send what is queued and stop.
/// </summary>
public sealed class OtlpTraceExport : IDisposable
{
    private readonly TracerProvider _provider;

    private OtlpTraceExport(TracerProvider provider) => _provider = provider;

    /// <summary>Starts listening to <paramref name="sources"/> and exporting to <paramref name="options"/>.</summary>
    public static OtlpTraceExport Start(OtlpTraceOptions options, params string[] sources)
    {
        var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(sources)
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(options.ServiceName))
            .AddOtlpExporter(exporter =>
            {
                exporter.Endpoint = options.ExportUrl;
                exporter.Protocol = options.Protocol == OtlpTraceOptions.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
            })
            .Build();
        return new OtlpTraceExport(provider);
    }

    /// <summary>Sends the spans queued so far; returns false when the export did not finish in time.</summary>
    public bool Flush(TimeSpan timeout) => _provider.ForceFlush((int)timeout.TotalMilliseconds);

    public void Dispose() => _provider.Dispose();
}
