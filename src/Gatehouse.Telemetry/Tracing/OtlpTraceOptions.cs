namespace Gatehouse.Telemetry.Tracing;

/// <summary>Where and how a tier exports its spans over OTLP.</summary>
/// <param name="Endpoint">
/// The collector's base address, such as <c>http://127.0.0.1:4318</c>; with http/protobuf the exporter
/// posts to <c>/v1/traces</c> under it unless <paramref name="EndpointIsSignalPath"/> is true.
/// </param>
/// <param name="ServiceName">The <c>service.name</c> resource attribute.</param>
/// <param name="Protocol"><c>http/protobuf</c> (the default) or <c>grpc</c>.</param>
/// <param name="EndpointIsSignalPath">True when <paramref name="Endpoint"/> is already the full traces URL.</param>
public sealed record OtlpTraceOptions(Uri Endpoint, string ServiceName, string Protocol = OtlpTraceOptions.HttpProtobuf, bool EndpointIsSignalPath = false)
{
    public const string HttpProtobuf = "http/protobuf";

    public const string Grpc = "grpc";

    /// <summary>
    /// Reads the standard OpenTelemetry environment variables: <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>
    /// (used as the full URL) or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (the base address),
    /// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> and <c>OTEL_SERVICE_NAME</c>. Returns null when no endpoint is set.
    /// </summary>
    /// <exception cref="ArgumentException">An endpoint is not an absolute http(s) URL or the protocol is unsupported.</exception>
    public static OtlpTraceOptions? FromEnvironment(string defaultServiceName, Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        var signal = Present(read("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
        var general = Present(read("OTEL_EXPORTER_OTLP_ENDPOINT"));
        if (signal is null && general is null)
        {
            return null;
        }

        var name = signal is null ? "OTEL_EXPORTER_OTLP_ENDPOINT" : "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
        var protocol = Present(read("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")) ?? Present(read("OTEL_EXPORTER_OTLP_PROTOCOL")) ?? HttpProtobuf;
        if (ValidateEndpoint(signal ?? general!) is { } endpointProblem)
        {
            throw new ArgumentException($"environment variable {name}: {endpointProblem}");
        }

        if (ValidateProtocol(protocol) is { } protocolProblem)
        {
            throw new ArgumentException($"environment variable OTEL_EXPORTER_OTLP_PROTOCOL: {protocolProblem}");
        }

        return new OtlpTraceOptions(
            new Uri(signal ?? general!), Present(read("OTEL_SERVICE_NAME")) ?? defaultServiceName, protocol, EndpointIsSignalPath: signal is not null);
    }

    /// <summary>Returns why <paramref name="endpoint"/> cannot be an OTLP endpoint, or null when it can.</summary>
    public static string? ValidateEndpoint(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Query.Length == 0
            ? null
            : $"expected an http or https URL without a query, such as \"http://127.0.0.1:4318\"; got \"{endpoint}\"";

    /// <summary>Returns why <paramref name="protocol"/> is not supported, or null when it is.</summary>
    public static string? ValidateProtocol(string protocol) =>
        protocol is HttpProtobuf or Grpc ? null : $"expected \"{HttpProtobuf}\" or \"{Grpc}\"; got \"{protocol}\"";

    /// <summary>The URL the exporter sends to.</summary>
    public Uri ExportUrl =>
        Protocol == Grpc || EndpointIsSignalPath ? Endpoint : new Uri(Endpoint.ToString().TrimEnd('/') + "/v1/traces");

    private static string? Present(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
