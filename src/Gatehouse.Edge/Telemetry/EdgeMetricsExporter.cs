using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Gatehouse.Edge.Telemetry;

/// <summary>
/// Listens to one <see cref="EdgeMetrics"/> meter and writes Prometheus text format 0.0.4: counters as counters,
/// histograms with cumulative buckets, _sum and _count, observable gauges read at each scrape. Label sets are
/// limited to <see cref="MaxSeries"/> per instrument; further sets are counted under one "other" series.
/// </summary>
internal sealed class EdgeMetricsExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public const int MaxSeries = 1000;

    /// <summary>Histogram bucket bounds in seconds, from 0.5 ms to 10 s.</summary>
    public static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, ConcurrentDictionary<string, Series>> _series = new();

    public EdgeMetricsExporter(EdgeMetrics metrics)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    public string Build()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var (instrument, series) in _series.OrderBy(pair => pair.Key.Name, StringComparer.Ordinal))
        {
            var type = instrument switch
            {
                Counter<long> => "counter",
                Histogram<double> => "histogram",
                _ => "gauge",
            };
            text.Append("# HELP ").Append(instrument.Name).Append(' ').Append(instrument.Description).Append('\n');
            text.Append("# TYPE ").Append(instrument.Name).Append(' ').Append(type).Append('\n');
            foreach (var (labels, each) in series.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                each.Write(text, instrument.Name, labels);
            }
        }

        return text.ToString();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = _series.GetOrAdd(instrument, _ => new ConcurrentDictionary<string, Series>(StringComparer.Ordinal));
        var labels = Labels(tags);
        if (!series.ContainsKey(labels) && series.Count >= MaxSeries)
        {
            labels = "other=\"true\"";
        }

        series.GetOrAdd(labels, _ => new Series(instrument is Histogram<double>)).Add(value, instrument is ObservableGauge<long> or ObservableGauge<double>);
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            var value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "";
            parts.Add($"{tag.Key}=\"{Escape(value)}\"");
        }

        parts.Sort(StringComparer.Ordinal);
        return string.Join(',', parts);
    }

    internal static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    internal static string Format(double value) => double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>One label set's value: a sum (counter), the last value (gauge) or bucket counts (histogram).</summary>
    private sealed class Series(bool histogram)
    {
        private readonly Lock _lock = new();
        private readonly long[]? _buckets = histogram ? new long[Buckets.Length] : null;
        private double _sum;
        private long _count;

        public void Add(double value, bool replace)
        {
            lock (_lock)
            {
                _sum = replace ? value : _sum + value;
                _count++;
                for (var i = 0; _buckets is not null && i < Buckets.Length; i++)
                {
                    _buckets[i] += value <= Buckets[i] ? 1 : 0;
                }
            }
        }

        public void Write(StringBuilder text, string name, string labels)
        {
            lock (_lock)
            {
                if (_buckets is null)
                {
                    text.Append(name).Append(Braced(labels)).Append(' ').Append(Format(_sum)).Append('\n');
                    return;
                }

                var prefix = labels.Length > 0 ? labels + "," : "";
                for (var i = 0; i < Buckets.Length; i++)
                {
                    text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"").Append(Format(Buckets[i])).Append("\"} ").Append(_buckets[i]).Append('\n');
                }

                text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"+Inf\"} ").Append(_count).Append('\n');
                text.Append(name).Append("_sum").Append(Braced(labels)).Append(' ').Append(Format(_sum)).Append('\n');
                text.Append(name).Append("_count").Append(Braced(labels)).Append(' ').Append(_count).Append('\n');
            }
        }

        private static string Braced(string labels) => labels.Length > 0 ? "{" + labels + "}" : "";
    }
}
