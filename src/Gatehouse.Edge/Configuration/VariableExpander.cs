using System.Text;

namespace Gatehouse.Edge.Configuration;

/// <summary>
/// Expands <c>${NAME}</c> and <c>${NAME-default}</c> in configuration strings, the same forms HAProxy
/// accepts in haproxy.cfg, so one set of variables can drive both tiers' files.
/// </summary>
internal static class VariableExpander
{
    /// <summary>Returns the expanded text; <paramref name="missing"/> names the first unset variable without a default.</summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string> variables, out string? missing)
    {
        missing = null;
        if (!text.Contains("${", StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var position = 0;
        while (position < text.Length)
        {
            var start = text.IndexOf("${", position, StringComparison.Ordinal);
            var end = start < 0 ? -1 : text.IndexOf('}', start + 2);
            if (start < 0 || end < 0)
            {
                result.Append(text, position, text.Length - position);
                break;
            }

            result.Append(text, position, start - position);
            var body = text.AsSpan(start + 2, end - start - 2);
            var dash = body.IndexOf('-');
            var name = (dash < 0 ? body : body[..dash]).ToString();
            if (variables.TryGetValue(name, out var value))
            {
                result.Append(value);
            }
            else if (dash >= 0)
            {
                result.Append(body[(dash + 1)..]);
            }
            else
            {
                missing ??= name;
            }

            position = end + 1;
        }

        return result.ToString();
    }

    /// <summary>The process environment as a variable dictionary.</summary>
    public static IReadOnlyDictionary<string, string> FromEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? string.Empty;
        }

        return variables;
    }
}
