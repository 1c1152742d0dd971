using Gatehouse.Telemetry.Tracing;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;

namespace Gatehouse.Telemetry.Decisions.Sinks;

/// <summary>
/// Exports each record as an OpenTelemetry log record over OTLP: the body is the record's JSON, the attributes
/// are its main fields (see <see cref="DecisionAttributes"/>), and the trace id and span id are the record's, so
/// backends join the record to the tier's span. The SDK's batch processor sends the records; this writer waits
/// for an export whenever its queue runs empty or <see cref="MaxPendingRecords"/> records are waiting, and
/// reports the records of failed exports as lost through <see cref="DecisionRecordsLostException"/>.
/// </summary>
public sealed class OtlpLogWriter : IDecisionWriter
{
    /// <summary>Records handed to the SDK before the writer waits for them to be exported.</summary>
    public const int MaxPendingRecords = 512;

    private const string CategoryName = "Gatehouse.Decisions";
    private static readonly EventId DecisionEvent = new(1001, "decision");

    private readonly OtlpLogOptions _options;
    private readonly CountingLogExporter _exporter;
    private readonly BatchLogRecordExportProcessor _batch;
    private readonly ILoggerFactory _factory;
    private readonly ILogger _logger;
    private int _pending;
    private long _failedReported;

    public OtlpLogWriter(OtlpLogOptions options)
    {
        if (OtlpTraceOptions.ValidateProtocol(options.Protocol) is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _options = options;
        var timeout = (int)options.ExportTimeout.TotalMilliseconds;
        var otlp = new OtlpLogExporter(new OtlpExporterOptions
        {
            Endpoint = options.ExportUrl,
            Protocol = options.Protocol == OtlpTraceOptions.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf,
            TimeoutMilliseconds = timeout,
        });
        _exporter = new CountingLogExporter(otlp);
        // The SDK queue has room for four times what this writer lets wait, so the SDK never drops a record uncounted.
        _batch = new BatchLogRecordExportProcessor(
            _exporter, maxQueueSize: MaxPendingRecords * 4, scheduledDelayMilliseconds: 1000,
            exporterTimeoutMilliseconds: timeout, maxExportBatchSize: MaxPendingRecords);
        _factory = LoggerFactory.Create(builder => builder.AddOpenTelemetry(logging =>
        {
            logging.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(options.ServiceName));
            logging.IncludeFormattedMessage = false;
            logging.IncludeScopes = false;
            logging.AddProcessor(new DecisionLogRecordProcessor());
            logging.AddProcessor(_batch);
            // Added last, so at shutdown the batch processor drains before the OTLP exporter closes.
            logging.AddProcessor(new ExporterParentLink(otlp));
        }));
        _logger = _factory.CreateLogger(CategoryName);
    }

    public string Name => "otlp " + _options.ExportUrl;

    public ValueTask WriteAsync(DecisionRecord record, string json, CancellationToken cancellationToken)
    {
        _logger.Log(LogLevel.Information, DecisionEvent, new DecisionAttributes(record, json), null, static (state, _) => state.Json);
        if (++_pending >= MaxPendingRecords)
        {
            ExportPending();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending > 0)
        {
            ExportPending();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Sends what is queued and stops the exporter, waiting at most the export timeout.</summary>
    public ValueTask DisposeAsync()
    {
        // NOTE: records whose export fails during shutdown are not counted, because no later flush reports them.
        _factory.Dispose();
        return ValueTask.CompletedTask;
    }

    // Blocks the writer's task, never a request, until the SDK has exported what was handed to it.
    private void ExportPending()
    {
        _pending = 0;
        // A flush that times out loses nothing yet: the exporter reports those records when their export ends.
        _batch.ForceFlush((int)_options.ExportTimeout.TotalMilliseconds);
        var failed = _exporter.Failed;
        var lost = failed - _failedReported;
        _failedReported = failed;
        if (lost > 0)
        {
            throw new DecisionRecordsLostException(lost, $"OTLP export to {_options.ExportUrl} failed for {lost} records");
        }
    }
}
