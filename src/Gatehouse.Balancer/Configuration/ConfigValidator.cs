namespace Gatehouse.Balancer.Configuration;

/// <summary>Checks references between sections once every file has been read.</summary>
internal sealed class ConfigValidator
{
    private readonly ConfigErrors _errors;

    public ConfigValidator(ConfigErrors errors)
    {
        _errors = errors;
    }

    public void Validate(List<FrontendConfig> frontends, List<BackendConfig> backends)
    {
        CheckUnique(frontends.Select(frontend => (frontend.Name, frontend.Location)), "frontend");
        CheckUnique(backends.Select(backend => (backend.Name, backend.Location)), "backend");
        var backendNames = backends.Select(backend => backend.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var frontend in frontends)
        {
            frontend.Acls.Validate(_errors);
            Rules.TcpRuleChecks.Check(frontend, _errors);
            if (frontend.Binds.Count == 0)
            {
                _errors.Add(frontend.Location, $"frontend '{frontend.Name}' has no 'bind' line; add one such as 'bind 127.0.0.1:8080'");
            }

            foreach (var rule in frontend.SwitchRules.Append(frontend.DefaultBackend))
            {
                if (rule?.Name is { } name && !backendNames.Contains(name))
                {
                    var hint = Suggestions.DidYouMean(name, backendNames);
                    _errors.Add(rule.Location, $"'{rule.Keyword}' names backend '{name}', which is not defined{hint}");
                }
            }
        }

        foreach (var backend in backends.Where(backend => backend.Settings.HttpCheckOption is null))
        {
            if (backend.Settings.HttpCheckRuleLocation is { } location)
            {
                _errors.Add(location, $"'http-check' needs 'option httpchk' in backend '{backend.Name}' or its defaults; without it checks are TCP connects");
            }
        }

        foreach (var backend in backends.Where(backend => !frontends.Any(frontend => frontend.Acls == backend.Acls)))
        {
            backend.Acls.Validate(_errors);
        }
    }

    private void CheckUnique(IEnumerable<(string Name, ConfigLocation Location)> sections, string kind)
    {
        var seen = new Dictionary<string, ConfigLocation>(StringComparer.Ordinal);
        foreach (var (name, location) in sections)
        {
            if (!seen.TryAdd(name, location))
            {
                _errors.Add(location, $"'{kind}' name '{name}' is already used at {seen[name]}; {kind} names must be unique");
            }
        }
    }
}
