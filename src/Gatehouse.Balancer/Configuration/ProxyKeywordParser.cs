using System.Globalization;

namespace Gatehouse.Balancer.Configuration;

/// <summary>
/// Reads the keywords of defaults, frontend, backend and listen sections. Settings keywords are handled
/// here; frontend, rule and server keywords by <see cref="FrontendKeywordParser"/> and <see cref="ServerLineParser"/>.
/// </summary>
internal sealed class ProxyKeywordParser
{
    private readonly ConfigErrors _errors;
    private readonly FrontendKeywordParser _frontend;
    private readonly ServerLineParser _servers;
    private readonly HttpCheckParser _checks;
    private readonly RetryParser _retries;
    private readonly BalanceParser _balance;

    public ProxyKeywordParser(ConfigErrors errors)
    {
        _errors = errors;
        _frontend = new FrontendKeywordParser(errors);
        _servers = new ServerLineParser(errors);
        _checks = new HttpCheckParser(errors);
        _retries = new RetryParser(errors);
        _balance = new BalanceParser(errors);
    }

    public void Parse(ConfigLine line, ProxySection section)
    {
        var keyword = line.Keyword;
        if (!KeywordCatalog.ProxyKeywords.TryGetValue(keyword, out var allowed))
        {
            ReportUnknown(line, section);
            return;
        }

        if ((allowed & section.Kind) == 0)
        {
            var where = string.Join(", ", Enum.GetValues<SectionKinds>()
                .Where(kind => kind is SectionKinds.Defaults or SectionKinds.Frontend or SectionKinds.Backend && allowed.HasFlag(kind))
                .Select(kind => kind.ToString().ToLowerInvariant()));
            _errors.Add(line.Location, $"'{keyword}' is not allowed in a '{section.KindName}' section; it belongs in {where}");
            return;
        }

        switch (keyword)
        {
            case "mode":
                ParseMode(line, section.Settings);
                break;
            case "timeout":
                ParseTimeout(line, section.Settings);
                break;
            case "option":
                ParseOption(line, section);
                break;
            case "retries":
                _retries.ParseRetries(line, section.Settings);
                break;
            case "retry-on":
                _retries.ParseRetryOn(line, section.Settings);
                break;
            case "http-check":
                _checks.ParseRule(line, section.Settings);
                break;
            case "log":
                if (Logging.LogTargetParser.Validate(line, allowGlobal: true, _errors))
                {
                    section.Settings.LogTargets = [.. section.Settings.LogTargets, string.Join(' ', line.Words.Skip(1))];
                }

                break;
            case "log-format":
                section.Settings.AccessLogFormat = Logging.AccessLogFormats.ParseLine(line, _errors) ?? section.Settings.AccessLogFormat;
                break;
            case "maxconn":
                section.Settings.MaxConnections = ParseMaxConnections(line) ?? section.Settings.MaxConnections;
                break;
            case "balance":
                _balance.ParseBalance(line, section.Settings);
                break;
            case "hash-type":
                _balance.ParseHashType(line, section.Settings);
                break;
            case "server":
                _servers.Parse(line, section.Backend!, section.BaseDirectory);
                break;
            case "errorfile":
                ErrorFileParser.Parse(line, section, _errors);
                break;
            case "compression":
                section.Settings.Compression = CompressionParser.Parse(line, section.Settings.Compression, _errors) ?? section.Settings.Compression;
                break;
            case "stats":
                section.Settings.Stats = Stats.StatsParser.Parse(line, section.Settings.Stats, section, _errors) ?? section.Settings.Stats;
                break;
            case "cookie":
                section.Settings.Cookie = CookieParser.Parse(line, _errors) ?? section.Settings.Cookie;
                break;
            case "monitor-uri":
                ParseMonitorUri(line, section.Settings);
                break;
            case "stick-table":
                ParseStickTable(line, section);
                break;
            case "stick":
                ParseStickRule(line, section);
                break;
            default:
                _frontend.Parse(line, section);
                break;
        }
    }

    public int? ParseMaxConnections(ConfigLine line)
    {
        if (line.Count == 2 && int.TryParse(line[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        _errors.Add(line.Location, $"'maxconn' expects one positive integer, got '{string.Join(' ', line.Words.Skip(1))}'");
        return null;
    }

    private void ReportUnknown(ConfigLine line, ProxySection section)
    {
        var keyword = line.Keyword;
        if (KeywordCatalog.NotSupportedProxy.Contains(keyword))
        {
            _errors.Add(line.Location, $"'{keyword}' is not supported yet");
            return;
        }

        var candidates = KeywordCatalog.ProxyKeywords.Where(pair => (pair.Value & section.Kind) != 0).Select(pair => pair.Key);
        var hint = Suggestions.DidYouMean(keyword, candidates);
        _errors.Add(line.Location, $"unknown keyword '{keyword}' in '{section.KindName}' section{hint}");
    }

    private void ParseStickTable(ConfigLine line, ProxySection section)
    {
        if ((section.Backend?.StickTable ?? section.Frontend?.StickTable) is { } first)
        {
            _errors.Add(line.Location, $"'stick-table': {section.KindName} '{section.Name}' already declares a stick table at {first.Location}; a section holds at most one");
            return;
        }

        var problems = new List<string>();
        var definition = StickTables.StickTableParser.Parse(section.Name, [.. line.Words.Skip(1).Select(word => word.Text)], line.Location, problems);
        foreach (var problem in problems)
        {
            _errors.Add(line.Location, problem);
        }

        if (definition is null)
        {
            return;
        }

        if (section.Frontend is { } frontend)
        {
            frontend.StickTable = definition;
        }

        if (section.Backend is { } backend)
        {
            backend.StickTable = definition;
        }
    }

    private void ParseStickRule(ConfigLine line, ProxySection section)
    {
        var problems = new List<string>();
        var rule = StickTables.StickPersistenceParser.Parse(line, section.Acls!, section.BaseDirectory, problems);
        foreach (var problem in problems)
        {
            _errors.Add(line.Location, problem);
        }

        if (rule is not null)
        {
            section.Backend!.StickRules.Add(rule);
        }
    }

    private void ParseMonitorUri(ConfigLine line, ProxySettings settings)
    {
        if (line.Count != 2 || !line[1].StartsWith('/'))
        {
            var given = line.Count > 1 ? string.Join(' ', line.Words.Skip(1)) : "nothing";
            _errors.Add(line.Location, $"'monitor-uri' expects one path starting with '/', such as 'monitor-uri /health', got '{given}'");
            return;
        }

        settings.MonitorUri = line[1];
    }

    private void ParseMode(ConfigLine line, ProxySettings settings)
    {
        if (line.Count == 2 && line[1] is "http" or "tcp")
        {
            settings.Mode = line[1] == "tcp" ? ProxyMode.Tcp : ProxyMode.Http;
            return;
        }

        _errors.Add(line.Location, $"'mode' expects 'http' or 'tcp', got '{string.Join(' ', line.Words.Skip(1))}'");
    }

    private void ParseTimeout(ConfigLine line, ProxySettings settings)
    {
        var name = line.Count > 1 ? line[1] : "";
        if (!KeywordCatalog.Timeouts.TryGetValue(name, out var assign))
        {
            _errors.Add(line.Location, KeywordCatalog.NotSupportedTimeouts.Contains(name)
                ? $"'timeout {name}' is not supported yet"
                : $"'timeout' expects one of {string.Join(", ", KeywordCatalog.Timeouts.Keys)}, got '{name}'"
                  + Suggestions.DidYouMean(name, KeywordCatalog.Timeouts.Keys));
            return;
        }

        if (line.Count != 3 || !TimeValue.TryParse(line[2], out var value))
        {
            var given = line.Count > 2 ? string.Join(' ', line.Words.Skip(2)) : "nothing";
            _errors.Add(line.Location, $"'timeout {name}' expects {TimeValue.Expected}, got '{given}'");
            return;
        }

        assign(settings, value);
    }

    private void ParseOption(ConfigLine line, ProxySection section)
    {
        var settings = section.Settings;
        var name = line.Count > 1 ? line[1] : "";
        if (name is "httpchk" or "redispatch" or "allbackups" && section.Kind == SectionKinds.Frontend)
        {
            _errors.Add(line.Location, $"'option {name}' is not allowed in a 'frontend' section; it belongs in defaults, backend");
            return;
        }

        switch (name)
        {
            case "httpchk":
                _checks.ParseOption(line, settings);
                return;
            case "redispatch":
                _retries.ParseRedispatch(line, settings);
                return;
            case "forwardfor":
                settings.ForwardFor = ForwardForParser.Parse(line, _errors) ?? settings.ForwardFor;
                return;
            case "allbackups":
                if (line.Count > 2)
                {
                    _errors.Add(line.Location, $"'option {name}' takes no arguments, got '{line[2]}'");
                    return;
                }

                settings.AllBackups = true;
                return;
            case "httplog":
            case "http-server-close":
            case "http-keep-alive":
                if (line.Count > 2)
                {
                    _errors.Add(line.Location, $"'option {name}' takes no arguments, got '{line[2]}'");
                    return;
                }

                settings.HttpLog |= name == "httplog";
                settings.HttpServerClose = name == "http-server-close" || (settings.HttpServerClose && name != "http-keep-alive");
                settings.HttpKeepAlive = name == "http-keep-alive" || (settings.HttpKeepAlive && name != "http-server-close");
                return;
            default:
                _errors.Add(line.Location, KeywordCatalog.NotSupportedOptions.Contains(name)
                    ? $"'option {name}' is not supported yet"
                    : $"unknown option '{name}'; expected one of {string.Join(", ", KeywordCatalog.Options)}"
                      + Suggestions.DidYouMean(name, KeywordCatalog.Options));
                return;
        }
    }
}
