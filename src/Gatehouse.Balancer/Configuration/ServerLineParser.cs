using System.Globalization;

namespace Gatehouse.Balancer.Configuration;

/// <summary>
/// Parses `server NAME ADDRESS:PORT [weight N] [maxconn N] [maxqueue N] [backup] [disabled] [check]
/// [inter T] [fastinter T] [downinter T] [rise N] [fall N] [cookie VALUE]`, the passive health options that
/// <see cref="PassiveHealthParser"/> reads, and the TLS and protocol options that
/// <see cref="Tls.ServerTlsParser"/> reads.
/// </summary>
internal sealed class ServerLineParser
{
    private readonly ConfigErrors _errors;

    public ServerLineParser(ConfigErrors errors)
    {
        _errors = errors;
    }

    public void Parse(ConfigLine line, BackendConfig backend, string baseDirectory = "")
    {
        if (line.Count < 3)
        {
            _errors.Add(line.Location, "'server' expects a name and an address, such as 'server web1 10.0.0.1:8080'");
            return;
        }

        var name = line[1];
        if (!AddressParser.TryParseHostPort(line[2], requireHost: true, out var host, out var port, out var problem))
        {
            _errors.Add(line.Location, $"'server {name}' {problem}");
            return;
        }

        if (port == 0)
        {
            _errors.Add(line.Location, $"'server {name}' expects a port from 1 to 65535 in '{line[2]}'");
            return;
        }

        var options = new ServerOptions { Tls = new Tls.ServerTlsParser(baseDirectory) };
        for (var i = 3; i < line.Count; i++)
        {
            if (!ParseOption(line, name, ref i, options))
            {
                return;
            }
        }

        var tlsProblems = new List<string>();
        var tls = options.Tls.Build(tlsProblems);
        foreach (var tlsProblem in tlsProblems)
        {
            _errors.Add(line.Location, $"'server {name}' {tlsProblem}");
        }

        if (tlsProblems.Count > 0)
        {
            return;
        }

        var duplicate = backend.ServerList.FirstOrDefault(server => server.Name == name);
        if (duplicate is not null)
        {
            _errors.Add(line.Location, $"'server' name '{name}' is already used in backend '{backend.Name}' at {duplicate.Location}; server names must be unique");
            return;
        }

        backend.ServerList.Add(new ServerConfig(name, host!, port, options.Weight, options.MaxConnections, options.Backup, options.Disabled, line.Location)
        {
            Check = options.Check ? BuildCheck(options) : null,
            MaxQueue = options.MaxQueue,
            Cookie = options.Cookie,
            Tls = tls,
            Http2 = options.Tls.Http2,
            PassiveHealth = options.Passive.Build(),
        });
    }

    private static ServerCheckSettings BuildCheck(ServerOptions options)
    {
        // fastinter and downinter default to inter, as in HAProxy.
        var interval = options.Interval ?? ServerCheckSettings.DefaultInterval;
        return new ServerCheckSettings(
            interval,
            options.FastInterval ?? interval,
            options.DownInterval ?? interval,
            options.Rise ?? ServerCheckSettings.DefaultRise,
            options.Fall ?? ServerCheckSettings.DefaultFall);
    }

    private bool ParseOption(ConfigLine line, string name, ref int i, ServerOptions options)
    {
        var option = line[i];
        switch (option)
        {
            case "backup":
                options.Backup = true;
                return true;
            case "disabled":
                options.Disabled = true;
                return true;
            case "check":
                options.Check = true;
                return true;
            case "cookie":
                if (i + 1 >= line.Count)
                {
                    _errors.Add(line.Location, $"'server {name}' option 'cookie' expects a value, such as 'cookie s1'");
                    return false;
                }

                options.Cookie = line[++i];
                return true;
            case "weight" or "maxconn" or "maxqueue" or "rise" or "fall":
                return ParseInteger(line, name, ref i, options);
            case "inter" or "fastinter" or "downinter":
                return ParseInterval(line, name, ref i, options);
            case var passiveOption when PassiveHealthParser.IsOption(passiveOption):
                return PassiveHealthParser.ParseOption(line, name, ref i, options.Passive, _errors);
            case var tlsOption when Tls.ServerTlsParser.IsOption(tlsOption):
                return ParseTlsOption(line, name, ref i, options);
            default:
                _errors.Add(line.Location, KeywordCatalog.NotSupportedServerOptions.Contains(option)
                    ? $"'server {name}' option '{option}' is not supported yet"
                    : $"'server {name}' has unknown option '{option}'; expected one of {string.Join(", ", KeywordCatalog.ServerOptions)}"
                      + Suggestions.DidYouMean(option, KeywordCatalog.ServerOptions));
                return false;
        }
    }

    private bool ParseTlsOption(ConfigLine line, string name, ref int i, ServerOptions options)
    {
        var problems = new List<string>();
        var parsed = options.Tls.ParseOption(line, ref i, problems);
        foreach (var problem in problems)
        {
            _errors.Add(line.Location, $"'server {name}' {problem}");
        }

        return parsed;
    }

    private bool ParseInteger(ConfigLine line, string name, ref int i, ServerOptions options)
    {
        var option = line[i];
        var (min, max, range) = option switch
        {
            "weight" => (0, 256, "from 0 to 256"),
            "maxqueue" => (0, int.MaxValue, "of 0 or more"),
            _ => (1, int.MaxValue, "greater than 0"),
        };
        if (i + 1 >= line.Count
            || !int.TryParse(line[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number < min || number > max)
        {
            var given = i + 1 < line.Count ? line[i + 1] : "nothing";
            _errors.Add(line.Location, $"'server {name}' option '{option}' expects an integer {range}, got '{given}'");
            return false;
        }

        i++;
        switch (option)
        {
            case "weight":
                options.Weight = number;
                break;
            case "maxconn":
                options.MaxConnections = number;
                break;
            case "maxqueue":
                options.MaxQueue = number;
                break;
            case "rise":
                options.Rise = number;
                break;
            default:
                options.Fall = number;
                break;
        }

        return true;
    }

    private bool ParseInterval(ConfigLine line, string name, ref int i, ServerOptions options)
    {
        var option = line[i];
        if (i + 1 >= line.Count || !TimeValue.TryParse(line[i + 1], out var value) || value <= TimeSpan.Zero)
        {
            var given = i + 1 < line.Count ? line[i + 1] : "nothing";
            _errors.Add(line.Location, $"'server {name}' option '{option}' expects a time above zero, such as 2s or 500ms, got '{given}'");
            return false;
        }

        i++;
        switch (option)
        {
            case "inter":
                options.Interval = value;
                break;
            case "fastinter":
                options.FastInterval = value;
                break;
            default:
                options.DownInterval = value;
                break;
        }

        return true;
    }

    private sealed class ServerOptions
    {
        public int Weight { get; set; } = 1;

        public int? MaxConnections { get; set; }

        public int? MaxQueue { get; set; }

        public bool Backup { get; set; }

        public bool Disabled { get; set; }

        public bool Check { get; set; }

        public TimeSpan? Interval { get; set; }

        public TimeSpan? FastInterval { get; set; }

        public TimeSpan? DownInterval { get; set; }

        public int? Rise { get; set; }

        public int? Fall { get; set; }

        public string? Cookie { get; set; }

        public Tls.ServerTlsParser Tls { get; init; } = new("");

        public PassiveHealthOptions Passive { get; } = new();
    }
}
