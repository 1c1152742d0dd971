namespace Gatehouse.Balancer.Configuration;

/// <summary>
/// Checks that `mode tcp` and `mode http` proxies are used together as HAProxy requires: a frontend reaches only
/// backends of its own mode. A `mode tcp` frontend routes with `default_backend` only.
/// </summary>
internal static class ModeValidator
{
    public static void Validate(List<FrontendConfig> frontends, List<BackendConfig> backends, ConfigErrors errors)
    {
        foreach (var frontend in frontends)
        {
            var mode = frontend.Settings.Mode;
            if (mode == ProxyMode.Tcp && frontend.SwitchRules.Count > 0)
            {
                errors.Add(frontend.SwitchRules[0].Location, $"'use_backend' in 'mode tcp' frontend '{frontend.Name}' is not supported yet; use 'default_backend'");
            }

            if (mode == ProxyMode.Tcp && frontend.RequestRules.Count + frontend.ResponseRules.Count + frontend.AfterResponseRules.Count > 0)
            {
                errors.Add(frontend.Location, $"frontend '{frontend.Name}' is in 'mode tcp', so its http-request, http-response and http-after-response rules would never run; remove them or use 'mode http'");
            }

            foreach (var rule in frontend.SwitchRules)
            {
                CheckBackend(frontend, rule, backends, errors);
            }

            if (frontend.DefaultBackend is { } fallback)
            {
                CheckBackend(frontend, fallback, backends, errors);
            }
        }
    }

    private static void CheckBackend(FrontendConfig frontend, BackendSwitchRule rule, List<BackendConfig> backends, ConfigErrors errors)
    {
        foreach (var backend in backends)
        {
            if (backend.Name == rule.Name && backend.Settings.Mode != frontend.Settings.Mode)
            {
                errors.Add(rule.Location, $"frontend '{frontend.Name}' is in 'mode {Name(frontend.Settings.Mode)}' but backend '{backend.Name}' is in "
                    + $"'mode {Name(backend.Settings.Mode)}'; both must use the same mode");
            }
        }
    }

    private static string Name(ProxyMode mode) => mode == ProxyMode.Tcp ? "tcp" : "http";
}
