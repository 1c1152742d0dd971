using Gatehouse.Telemetry.Tracing;

namespace Gatehouse.Edge.Configuration;

/// <summary>Reads the <c>[telemetry]</c> section: where the edge exports its spans over OTLP.</summary>
internal static class TelemetryReader
{
    public const string DefaultServiceName = "gatehouse-edge";

    /// <summary>Returns the export settings, or null when the section sets no <c>otlp_endpoint</c>.</summary>
    public static OtlpTraceOptions? Read(SectionReader reader)
    {
        var endpoint = reader.String("otlp_endpoint");
        var serviceName = reader.String("service_name", DefaultServiceName)!;
        var protocol = reader.String("protocol", OtlpTraceOptions.HttpProtobuf)!;
        reader.ReportUnknownKeys();
        if (OtlpTraceOptions.ValidateProtocol(protocol) is { } protocolProblem)
        {
            reader.Error(reader.LineOf("protocol"), $"key 'protocol' in [telemetry]: {protocolProblem}");
        }

        if (serviceName.Trim().Length == 0)
        {
            reader.Error(reader.LineOf("service_name"), $"key 'service_name' in [telemetry] must not be empty; the default is \"{DefaultServiceName}\"");
        }

        if (endpoint is null)
        {
            if (reader.Has("service_name") || reader.Has("protocol"))
            {
                reader.Error(reader.Line, "[telemetry] sets service_name or protocol but no otlp_endpoint; add otlp_endpoint = \"http://127.0.0.1:4318\"");
            }

            return null;
        }

        if (OtlpTraceOptions.ValidateEndpoint(endpoint) is { } endpointProblem)
        {
            reader.Error(reader.LineOf("otlp_endpoint"), $"key 'otlp_endpoint' in [telemetry]: {endpointProblem}");
            return null;
        }

        return new OtlpTraceOptions(new Uri(endpoint), serviceName.Trim(), protocol);
    }
}
