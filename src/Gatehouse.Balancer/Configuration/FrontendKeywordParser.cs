using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Rules;

namespace Gatehouse.Balancer.Configuration;

/// <summary>Reads bind, acl, capture, http-request, http-response, http-after-response, use_backend, default_backend and edge-assertion lines.</summary>
internal sealed class FrontendKeywordParser
{
    private readonly ConfigErrors _errors;

    public FrontendKeywordParser(ConfigErrors errors)
    {
        _errors = errors;
    }

    public void Parse(ConfigLine line, ProxySection section)
    {
        switch (line.Keyword)
        {
            case "acl":
                ParseAcl(line, section);
                break;
            case "http-request":
                ParseRequestRule(line, section);
                break;
            case "http-response":
                ParseResponseRule(line, section);
                break;
            case "redirect":
                ParseRedirect(line, section);
                break;
            case "http-after-response":
                ParseAfterResponseRule(line, section);
                break;
            case "capture":
                CaptureParser.Parse(line, section.Frontend!, _errors);
                break;
            case "bind":
                BindLineParser.Parse(line, section, _errors);
                break;
            case "use_backend":
            case "default_backend":
                ParseBackendSwitch(line, section);
                break;
            case "tcp-request":
                TcpRuleParser.Parse(line, section.Frontend!, section.Acls!, section.BaseDirectory, _errors);
                break;
            default:
                ParseEdgeAssertion(line, section.Frontend!);
                break;
        }
    }

    private void ParseAcl(ConfigLine line, ProxySection section)
    {
        if (line.Count < 3)
        {
            _errors.Add(line.Location, "'acl' expects a name, a sample fetch and patterns, such as 'acl is_api path_beg /api/'");
            return;
        }

        var problems = new List<string>();
        var entry = AclParser.Parse([.. line.Words.Skip(2).Select(word => word.Text)], section.BaseDirectory, problems);
        Report(line, $"acl {line[1]}", problems);
        if (entry is not null)
        {
            section.Acls!.Define(line[1], entry);
        }
    }

    private void ParseRequestRule(ConfigLine line, ProxySection section)
    {
        var problems = new List<string>();
        var rule = HttpRuleParser.ParseRequest(line, section.Acls!, section.BaseDirectory, problems);
        Report(line, RuleKeyword(line), problems);
        if (rule is not null)
        {
            (section.Frontend?.RequestRules ?? section.Backend!.RequestRules).Add(rule);
        }
    }

    private void ParseRedirect(ConfigLine line, ProxySection section)
    {
        var problems = new List<string>();
        var rule = HttpRuleParser.ParseRedirect(line, section.Acls!, section.BaseDirectory, problems);
        Report(line, "redirect", problems);
        if (rule is not null)
        {
            (section.Frontend?.RedirectRules ?? section.Backend!.RedirectRules).Add(rule);
        }
    }

    private void ParseResponseRule(ConfigLine line, ProxySection section)
    {
        var problems = new List<string>();
        if (line.Count > 1 && line[1] == "cache-store")
        {
            var store = Caching.CacheRuleParser.ParseCacheStore(line, section.Acls!, section.BaseDirectory, problems);
            Report(line, RuleKeyword(line), problems);
            if (store is not null)
            {
                (section.Frontend?.CacheStoreRules ?? section.Backend!.CacheStoreRules).Add(store);
            }

            return;
        }

        var rule = HttpRuleParser.ParseResponse(line, section.Acls!, section.BaseDirectory, problems);
        Report(line, RuleKeyword(line), problems);
        if (rule is not null)
        {
            (section.Frontend?.ResponseRules ?? section.Backend!.ResponseRules).Add(rule);
        }
    }

    private void ParseAfterResponseRule(ConfigLine line, ProxySection section)
    {
        var problems = new List<string>();
        var rule = AfterResponseRule.Parse(line, section.Acls!, section.BaseDirectory, problems);
        Report(line, RuleKeyword(line), problems);
        if (rule is not null)
        {
            (section.Frontend?.AfterResponseRules ?? section.Backend!.AfterResponseRules).Add(rule);
        }
    }

    private void ParseBackendSwitch(ConfigLine line, ProxySection section)
    {
        var keyword = line.Keyword;
        var conditionAt = Enumerable.Range(2, Math.Max(0, line.Count - 2)).FirstOrDefault(i => ConditionParser.IsConditionKeyword(line.Words[i]));
        var argumentCount = (conditionAt == 0 ? line.Count : conditionAt) - 1;
        if (argumentCount != 1 || (keyword == "default_backend" && conditionAt != 0))
        {
            _errors.Add(line.Location, keyword == "default_backend"
                ? "'default_backend' expects one backend name and no condition"
                : "'use_backend' expects one backend name, optionally followed by 'if' or 'unless' and a condition");
            return;
        }

        var problems = new List<string>();
        var name = line[1];
        LogFormat? dynamic = null;
        if (name.Contains("%[", StringComparison.Ordinal))
        {
            dynamic = LogFormat.Parse(name, problems);
        }

        Condition? condition = null;
        if (conditionAt != 0)
        {
            condition = ConditionParser.Parse([.. line.Words.Skip(conditionAt)], section.Acls!, line.Location, keyword, section.BaseDirectory, problems);
        }

        Report(line, keyword, problems);
        if (problems.Count > 0)
        {
            return;
        }

        var rule = new BackendSwitchRule(line.Location, keyword, dynamic is null ? name : null, dynamic, condition);
        if (keyword == "default_backend")
        {
            section.Frontend!.DefaultBackend = rule;
        }
        else
        {
            section.Frontend!.SwitchRules.Add(rule);
        }
    }

    private void ParseEdgeAssertion(ConfigLine line, FrontendConfig frontend)
    {
        if (line.Count != 4 || line[1] is not ("require" or "optional") || line[2] != "jwks")
        {
            _errors.Add(line.Location, "'edge-assertion' expects 'require jwks URL' or 'optional jwks URL'");
            return;
        }

        if (!Uri.TryCreate(line[3], UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            _errors.Add(line.Location, $"'edge-assertion' expects an absolute http or https JWKS URL, got '{line[3]}'");
            return;
        }

        if (frontend.EdgeAssertion is { } existing)
        {
            _errors.Add(line.Location, $"'edge-assertion' is already set for frontend '{frontend.Name}' at {existing.Location}");
            return;
        }

        frontend.EdgeAssertion = new EdgeAssertionSetting(line[1] == "require", uri, line.Location);
    }

    private void Report(ConfigLine line, string keyword, List<string> problems)
    {
        foreach (var problem in problems)
        {
            _errors.Add(line.Location, $"'{keyword}': {problem}");
        }
    }

    private static string RuleKeyword(ConfigLine line) => line.Count > 1 ? $"{line.Keyword} {line[1]}" : line.Keyword;
}
