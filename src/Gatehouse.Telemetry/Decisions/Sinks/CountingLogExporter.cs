using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Gatehouse.Telemetry.Decisions.Sinks;

/// <summary>
/// Passes batches to the OTLP exporter and counts the records of every failed batch, because the SDK's batch
/// processor discards export results. Shutting down and disposing <paramref name="inner"/> is left to
/// <see cref="ExporterParentLink"/>, which also gives it the provider's resource.
/// </summary>
internal sealed class CountingLogExporter(BaseExporter<LogRecord> inner) : BaseExporter<LogRecord>
{
    private long _failed;

    /// <summary>Records in batches the inner exporter reported as failed, since the start.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public override ExportResult Export(in Batch<LogRecord> batch)
    {
        var result = inner.Export(batch);
        if (result != ExportResult.Success)
        {
            Interlocked.Add(ref _failed, batch.Count);
        }

        return result;
    }
}

/// <summary>
/// A processor that exports nothing. Registering it gives its exporter the provider (and so the resource with
/// <c>service.name</c>), which a wrapped exporter would not get, and shuts the exporter down with the provider.
/// </summary>
internal sealed class ExporterParentLink(BaseExporter<LogRecord> exporter) : BaseExportProcessor<LogRecord>(exporter)
{
    protected override void OnExport(LogRecord data)
    {
    }
}
