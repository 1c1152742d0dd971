using System.Globalization;

namespace Gatehouse.Balancer.Rules;

/// <summary>Parses the arguments of `http-request redirect` and of the proxy-level `redirect` keyword.</summary>
internal static class RedirectParser
{
    private static readonly string[] NotSupportedOptions = ["set-cookie", "clear-cookie", "append-slash"];

    /// <summary>Parses `location|prefix|scheme VALUE [code N] [drop-query]`; the condition is already removed.</summary>
    public static RedirectRule? Parse(IReadOnlyList<string> args, List<string> problems)
    {
        RedirectKind? kind = args.Count > 0 ? args[0] switch
        {
            "location" => RedirectKind.Location,
            "prefix" => RedirectKind.Prefix,
            "scheme" => RedirectKind.Scheme,
            _ => null,
        } : null;
        if (args.Count < 2 || kind is null)
        {
            problems.Add("expects 'location URL', 'prefix URL' or 'scheme SCHEME', optionally followed by 'code N' and 'drop-query'");
            return null;
        }

        var target = LogFormat.Parse(args[1], problems);
        var code = 302;
        var dropQuery = false;
        for (var i = 2; i < args.Count; i++)
        {
            if (args[i] == "drop-query")
            {
                dropQuery = true;
            }
            else if (args[i] == "code" && i + 1 < args.Count && TryParseCode(args[i + 1], out code))
            {
                i++;
            }
            else
            {
                problems.Add(args[i] switch
                {
                    "code" => "expects 301, 302, 303, 307 or 308 after 'code'",
                    var option when NotSupportedOptions.Contains(option) => $"redirect option '{option}' is not supported yet",
                    var option => $"unknown redirect option '{option}'; expected 'code N' or 'drop-query'",
                });
                return null;
            }
        }

        return target is null ? null : new RedirectRule { Kind = kind.Value, Target = target, Code = code, DropQuery = dropQuery };
    }

    private static bool TryParseCode(string text, out int code) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out code) && code is 301 or 302 or 303 or 307 or 308;
}
