using Gatehouse.Trust.Identity;

namespace Gatehouse.Edge.Configuration;

/// <summary>Reads the <c>[sessions]</c> section; returns null when the file has none.</summary>
internal static class SessionReader
{
    public static SessionConfig? Read(SectionReader reader, bool present, IReadOnlyList<OidcProviderOptions> providers, string baseDirectory)
    {
        if (!present)
        {
            return null;
        }

        var defaults = new SessionConfig { Provider = string.Empty, ClientId = string.Empty };
        var keyDirectory = reader.String("key_directory");
        var config = new SessionConfig
        {
            Provider = reader.RequiredString("provider", "https://login.example.com/"),
            ClientId = reader.RequiredString("client_id", "gatehouse-edge"),
            ClientSecret = reader.String("client_secret"),
            Scopes = reader.StringList("scopes") ?? defaults.Scopes,
            CallbackPath = reader.String("callback_path", defaults.CallbackPath)!,
            LogoutPath = reader.String("logout_path", defaults.LogoutPath)!,
            CookieName = reader.String("cookie_name", defaults.CookieName)!,
            Lifetime = reader.Duration("lifetime", defaults.Lifetime),
            KeyDirectory = keyDirectory is null ? null : Path.GetFullPath(keyDirectory, baseDirectory),
        };
        reader.ReportUnknownKeys();
        Validate(reader, config, providers);
        return config;
    }

    private static void Validate(SectionReader reader, SessionConfig config, IReadOnlyList<OidcProviderOptions> providers)
    {
        if (reader.Has("provider") && !providers.Any(provider => provider.Issuer == config.Provider))
        {
            var known = providers.Count == 0 ? "none are configured" : string.Join(", ", providers.Select(p => $"\"{p.Issuer}\""));
            reader.Error(reader.LineOf("provider"), $"key 'provider' in [sessions] must be the issuer of a [[providers]] section; got \"{config.Provider}\", known issuers: {known}");
        }

        if (!config.Scopes.Contains("openid", StringComparer.Ordinal))
        {
            reader.Error(reader.LineOf("scopes"), "key 'scopes' in [sessions] must contain \"openid\", which asks the provider for an ID token");
        }

        if (config.Scopes.Any(scope => scope.Length == 0 || scope.Any(c => c <= ' ' || c == '"' || c == '\\' || c > '~')))
        {
            reader.Error(reader.LineOf("scopes"), "key 'scopes' in [sessions] must hold scope names of printable ASCII without spaces, quotes or '\\'");
        }

        CheckPath(reader, "callback_path", config.CallbackPath);
        CheckPath(reader, "logout_path", config.LogoutPath);
        if (config.CallbackPath == config.LogoutPath)
        {
            reader.Error(reader.LineOf("logout_path"), $"keys 'callback_path' and 'logout_path' in [sessions] must differ; both are \"{config.CallbackPath}\"");
        }

        if (!HeaderPatterns.IsValid(config.CookieName) || config.CookieName.EndsWith('*'))
        {
            reader.Error(reader.LineOf("cookie_name"), $"key 'cookie_name' in [sessions] must be a cookie name of letters, digits, '-' and '_'; got \"{config.CookieName}\"");
        }

        if (config.Lifetime < TimeSpan.FromMinutes(1) || config.Lifetime > TimeSpan.FromDays(30))
        {
            reader.Error(reader.LineOf("lifetime"), "key 'lifetime' in [sessions] must be from \"1m\" to \"30d\"");
        }
    }

    private static void CheckPath(SectionReader reader, string key, string path)
    {
        if (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal) || path.Any(c => c <= ' ' || c is '?' or '#' or '%' or '\\' || c > '~'))
        {
            reader.Error(reader.LineOf(key), $"key '{key}' in [sessions] must be an absolute path such as \"/_gatehouse/callback\" without query, '%' or spaces; got \"{path}\"");
        }
    }
}
