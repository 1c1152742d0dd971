using System.Globalization;
using System.Text;

namespace Gatehouse.Balancer.Stats;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4: each family once, with its HELP and TYPE lines before its
/// samples, label values escaped (backslash, double quote, newline) and HELP text escaped (backslash, newline).
/// </summary>
internal sealed class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);
    private string? _current;

    /// <summary>Starts a family; its samples follow until the next call. A family name may be started only once.</summary>
    public void Family(string name, string type, string help)
    {
        if (!_families.Add(name))
        {
            throw new InvalidOperationException($"metric family '{name}' was written twice");
        }

        _current = name;
        _text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    /// <summary>Writes a sample of the current family, with label name and value pairs.</summary>
    public void Sample(double value, params ReadOnlySpan<(string Name, string Value)> labels) => Sample("", value, labels);

    /// <summary>Writes a sample whose name is the family's plus <paramref name="suffix"/>, such as "_bucket".</summary>
    public void Sample(string suffix, double value, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        _text.Append(_current ?? throw new InvalidOperationException("a sample needs a family")).Append(suffix);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                _text.Append(i > 0 ? "," : "").Append(labels[i].Name).Append("=\"").Append(EscapeLabel(labels[i].Value)).Append('"');
            }

            _text.Append('}');
        }

        _text.Append(' ').Append(FormatValue(value)).Append('\n');
    }

    public override string ToString() => _text.ToString();

    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
