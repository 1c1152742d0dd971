namespace Gatehouse.Balancer.Configuration;

/// <summary>How the `cookie` keyword keeps a client on one server.</summary>
public enum CookieMode
{
    /// <summary>The balancer sets its own cookie on responses.</summary>
    Insert,

    /// <summary>The server sets the cookie and the balancer replaces its value with the server's cookie value.</summary>
    Rewrite,

    /// <summary>The server sets the cookie and the balancer prefixes its value with "VALUE~", removed again on requests.</summary>
    Prefix,
}

/// <summary>`cookie NAME insert|rewrite|prefix [indirect] [nocache] [preserve] [httponly] [secure] [domain D]... [attr A]...`.</summary>
public sealed record CookieSettings(string Name, CookieMode Mode)
{
    public bool Indirect { get; init; }

    public bool NoCache { get; init; }

    public bool Preserve { get; init; }

    public bool HttpOnly { get; init; }

    public bool Secure { get; init; }

    public IReadOnlyList<string> Domains { get; init; } = [];

    public IReadOnlyList<string> Attributes { get; init; } = [];

    /// <summary>`maxidle`: an inserted cookie not seen again within this time is ignored; null when unset.</summary>
    public TimeSpan? MaxIdle { get; init; }

    /// <summary>`maxlife`: an inserted cookie first set longer ago than this is ignored; null when unset.</summary>
    public TimeSpan? MaxLife { get; init; }
}

/// <summary>Parses the `cookie` line of a defaults, backend or listen section.</summary>
internal static class CookieParser
{
    private static readonly string[] Options =
        ["insert", "rewrite", "prefix", "indirect", "nocache", "preserve", "httponly", "secure", "domain", "attr", "maxidle", "maxlife"];

    private static readonly HashSet<string> NotSupported = new(StringComparer.Ordinal) { "postonly", "dynamic" };

    public static CookieSettings? Parse(ConfigLine line, ConfigErrors errors)
    {
        if (line.Count < 2)
        {
            errors.Add(line.Location, "'cookie' expects a cookie name and a mode, such as 'cookie SERVERID insert indirect nocache'");
            return null;
        }

        var mode = CookieMode.Rewrite;
        var modeSet = false;
        var (indirect, noCache, preserve, httpOnly, secure) = (false, false, false, false, false);
        var domains = new List<string>();
        var attributes = new List<string>();
        var (maxIdle, maxLife) = ((TimeSpan?)null, (TimeSpan?)null);
        for (var i = 2; i < line.Count; i++)
        {
            var option = line[i];
            switch (option)
            {
                case "insert" or "rewrite" or "prefix":
                    if (modeSet)
                    {
                        errors.Add(line.Location, $"'cookie' accepts one of insert, rewrite or prefix, got '{option}' after another");
                        return null;
                    }

                    mode = option switch { "insert" => CookieMode.Insert, "prefix" => CookieMode.Prefix, _ => CookieMode.Rewrite };
                    modeSet = true;
                    break;
                case "indirect":
                    indirect = true;
                    break;
                case "nocache":
                    noCache = true;
                    break;
                case "preserve":
                    preserve = true;
                    break;
                case "httponly":
                    httpOnly = true;
                    break;
                case "secure":
                    secure = true;
                    break;
                case "domain" or "attr":
                    if (i + 1 >= line.Count)
                    {
                        errors.Add(line.Location, $"'cookie' option '{option}' expects a value");
                        return null;
                    }

                    (option == "domain" ? domains : attributes).Add(line[++i]);
                    break;
                case "maxidle" or "maxlife":
                    if (ParseSeconds(line, ++i, option, errors) is not { } limit)
                    {
                        return null;
                    }

                    if (option == "maxidle")
                    {
                        maxIdle = limit;
                    }
                    else
                    {
                        maxLife = limit;
                    }
                    break;
                default:
                    errors.Add(line.Location, NotSupported.Contains(option)
                        ? $"'cookie' option '{option}' is not supported yet"
                        : $"'cookie' has unknown option '{option}'; expected one of {string.Join(", ", Options)}"
                          + Suggestions.DidYouMean(option, Options));
                    return null;
            }
        }

        if (preserve && mode != CookieMode.Insert && !indirect)
        {
            errors.Add(line.Location, "'cookie' option 'preserve' needs 'insert' or 'indirect' as well");
            return null;
        }

        return new CookieSettings(line[1], mode)
        {
            Indirect = indirect,
            NoCache = noCache,
            Preserve = preserve,
            HttpOnly = httpOnly,
            Secure = secure,
            Domains = domains,
            Attributes = attributes,
            MaxIdle = maxIdle,
            MaxLife = maxLife,
        };
    }

    // HAProxy reads these two in seconds when no unit is given, unlike most times.
    private static TimeSpan? ParseSeconds(ConfigLine line, int index, string option, ConfigErrors errors)
    {
        var text = index < line.Count ? line[index] : "";
        var withUnit = text.Length > 0 && text.All(char.IsAsciiDigit) ? text + "s" : text;
        if (TimeValue.TryParse(withUnit, out var value))
        {
            return value;
        }

        errors.Add(line.Location, $"'cookie' option '{option}' expects {TimeValue.Expected.Replace("no unit means ms", "no unit means s", StringComparison.Ordinal)}, got '{text}'");
        return null;
    }
}
