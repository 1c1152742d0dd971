using Gatehouse.Edge.Experiments;
using Gatehouse.Trust.Identity;

namespace Gatehouse.Edge.Configuration;

/// <summary>
/// Loads edge.toml. Every problem is collected and reported together as file:line, the key, what was
/// expected and how to fix it. Unknown sections and keys are errors, never ignored.
/// </summary>
public static class EdgeConfigLoader
{
    private static readonly string[] KnownSections =
        ["edge", "balancer", "keys", "limits", "headers", "providers", "routes", "experiments", "rate_limits", "sessions", "paths", "redis", "feedback",
         "listeners", "listeners.certificates", "balancer.tls", "metrics", "telemetry", "decisions"];

    /// <summary>Loads and validates a file; throws <see cref="EdgeConfigException"/> listing every problem.</summary>
    public static EdgeConfig Load(string path, IReadOnlyDictionary<string, string>? variables = null)
    {
        if (!File.Exists(path))
        {
            throw new EdgeConfigException([$"{path}: edge configuration file not found"]);
        }

        return Parse(File.ReadAllText(path), path, variables);
    }

    /// <summary>Parses configuration text; relative paths in it resolve against the folder of <paramref name="path"/>.</summary>
    public static EdgeConfig Parse(string text, string path, IReadOnlyDictionary<string, string>? variables = null)
    {
        variables ??= VariableExpander.FromEnvironment();
        var errors = new List<string>();
        var file = Path.GetFileName(path);
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();
        var sections = TomlSections.Parse(text, file, errors);
        if (errors.Count > 0)
        {
            throw new EdgeConfigException(errors);
        }

        var readers = sections.Select(section => (section, reader: new SectionReader(section, file, errors, variables))).ToList();
        foreach (var (section, reader) in readers)
        {
            if (section.Name.Length > 0 && !KnownSections.Contains(section.Name))
            {
                reader.Error(section.Line, $"unknown section '{section.Name}'; expected one of: {string.Join(", ", KnownSections)}");
            }
        }

        SectionReader Single(string name) =>
            readers.LastOrDefault(r => r.section.Name == name && !r.section.IsArrayElement).reader
            ?? new SectionReader(new TomlSection(name, false, 1, []), file, errors, variables);

        IEnumerable<SectionReader> Many(string name) =>
            readers.Where(r => r.section.Name == name).Select(r => r.reader);

        // Keys at the top level are errors, because every key belongs to a named section.
        Single(string.Empty).ReportUnknownKeys();

        var edge = Single("edge");
        var listen = edge.String("listen", "127.0.0.1:8080")!;
        ValidateListen(edge, listen);
        edge.ReportUnknownKeys();
        var listenerSections = readers.Where(r => r.section.Name is "listeners" or "listeners.certificates").ToList();
        var listeners = ListenerReader.Read(listenerSections, baseDirectory);
        var servesEdgeListen = listeners.Count == 0 || edge.Has("listen");
        if (listeners.Count > 0 && edge.Has("listen") && !ListenAddress.TryParse(listen, out _))
        {
            edge.Error(edge.LineOf("listen"), $"key 'listen' in [edge] must be IP:port, [IPv6]:port, localhost:port or *:port when edge.toml has [[listeners]]; got \"{listen}\"");
        }

        var metrics = readers.Any(r => r.section.Name == "metrics")
            ? MetricsReader.Read(Single("metrics"), [listen, .. listeners.Select(listener => listener.Address)])
            : null;

        var balancer = Single("balancer");
        var balancerUrl = ReadHttpUrl(balancer, "url", "http://127.0.0.1:8081");
        var balancerTimeout = balancer.Duration("timeout", TimeSpan.FromSeconds(30));
        var tlsTable = readers.Any(r => r.section.Name == "balancer.tls") ? Single("balancer.tls") : null;
        var (balancerTls, balancerHttp2) = BalancerTlsReader.Read(
            balancer, tlsTable, balancerUrl, baseDirectory, section => new SectionReader(section, file, errors, variables));
        balancer.ReportUnknownKeys();

        var keys = Single("keys");
        var keyDirectory = keys.String("directory");
        var assertionLifetime = keys.Duration("assertion_lifetime", TimeSpan.FromSeconds(60));
        var rotationInterval = keys.Duration("rotation_interval", TimeSpan.FromHours(24));
        var activationDelay = keys.Duration("activation_delay", TimeSpan.FromMinutes(5));
        var hasRedis = readers.Any(r => r.section.Name == "redis");
        var keyStore = RedisReader.ReadKeyStore(keys, hasRedis);
        if (rotationInterval <= activationDelay)
        {
            keys.Error(keys.LineOf("rotation_interval"), "key 'rotation_interval' in [keys] must be longer than 'activation_delay', or keys would rotate before the previous one signs");
        }
        keys.ReportUnknownKeys();

        var redis = hasRedis ? RedisReader.Read(Single("redis")) : null;
        var otlpTraces = TelemetryReader.Read(Single("telemetry"));
        var decisions = DecisionsReader.Read(Single("decisions"), baseDirectory, otlpTraces);
        var limits = ReadLimits(Single("limits"));
        var headers = ReadHeaders(Single("headers"));
        var paths = ReadPaths(Single("paths"));
        var rateLimits = Many("rate_limits").Select(RateLimitReader.Read).OfType<RateLimiting.RateLimitRule>().ToList();
        foreach (var duplicate in rateLimits.GroupBy(r => r.Name).Where(group => group.Count() > 1))
        {
            errors.Add($"{file}:{duplicate.Last().Line}: rate limit \"{duplicate.Key}\" is already defined at line {duplicate.First().Line}; give each a unique name");
        }

        var feedback = Many("feedback").Select(FeedbackReader.Read).OfType<Feedback.FeedbackRule>().ToList();
        foreach (var duplicate in feedback.GroupBy(r => r.Name).Where(group => group.Count() > 1))
        {
            errors.Add($"{file}:{duplicate.Last().Line}: feedback rule \"{duplicate.Key}\" is already defined at line {duplicate.First().Line}; give each a unique name");
        }

        var experiments = Many("experiments").Select(ExperimentReader.Read).OfType<Experiment>().ToList();
        foreach (var duplicate in experiments.GroupBy(e => e.Name).Where(group => group.Count() > 1))
        {
            errors.Add($"{file}: experiment \"{duplicate.Key}\" is defined {duplicate.Count()} times; give each [[experiments]] a unique name");
        }

        var providers = Many("providers").Select(ReadProvider).ToList();
        var routes = Many("routes").Select(reader => ReadRoute(reader, baseDirectory)).OfType<EdgeRoute>().ToList();
        ValidateRoutes(routes, providers, file, errors);
        var hasSessions = readers.Any(r => r.section.Name == "sessions");
        var sessions = SessionReader.Read(Single("sessions"), hasSessions, providers, baseDirectory);

        if (errors.Count > 0)
        {
            throw new EdgeConfigException(errors);
        }

        return new EdgeConfig
        {
            SourcePath = path,
            Listen = listen,
            BalancerUrl = balancerUrl,
            BalancerTimeout = balancerTimeout,
            BalancerTls = balancerTls,
            BalancerHttp2 = balancerHttp2,
            Listeners = listeners,
            ServesEdgeListen = servesEdgeListen,
            KeyDirectory = keyDirectory is null ? null : Path.GetFullPath(keyDirectory, baseDirectory),
            AssertionLifetime = assertionLifetime,
            KeyRotationInterval = rotationInterval,
            KeyActivationDelay = activationDelay,
            Providers = providers,
            Routes = routes,
            Limits = limits,
            Headers = headers,
            Paths = paths,
            Experiments = experiments,
            RateLimits = rateLimits,
            Feedback = feedback,
            Sessions = sessions,
            Redis = redis,
            KeyStore = keyStore,
            RedisLine = hasRedis ? Single("redis").Line : 0,
            Metrics = metrics,
            OtlpTraces = otlpTraces,
            Decisions = decisions,
        };
    }

    private static void ValidateListen(SectionReader reader, string listen)
    {
        var colon = listen.LastIndexOf(':');
        if (colon <= 0 || !ushort.TryParse(listen.AsSpan(colon + 1), out _))
        {
            reader.Error(reader.LineOf("listen"), $"key 'listen' in [edge] must be host:port, for example \"127.0.0.1:8080\"; got \"{listen}\"");
        }
    }

    private static Uri ReadHttpUrl(SectionReader reader, string key, string fallback)
    {
        var text = reader.String(key, fallback)!;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        reader.Error(reader.LineOf(key), $"key '{key}' in {reader.Title} must be an http:// or https:// URL; got \"{text}\"");
        return new Uri(fallback);
    }

    // NOTE: Kestrel checks these timeouts on its one-second heartbeat, so a value under 1 s acts as 1 to 2 s.
    private static readonly TimeSpan MinLimitTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxLimitTimeout = TimeSpan.FromHours(1);

    private static EdgeLimits ReadLimits(SectionReader reader)
    {
        var defaults = new EdgeLimits();
        var limits = new EdgeLimits
        {
            MaxTokenBytes = (int)reader.Integer("max_token_bytes", defaults.MaxTokenBytes, 256, 1 << 20),
            MaxRequestHeaders = (int)reader.Integer("max_request_headers", defaults.MaxRequestHeaders, 8, 10_000),
            MaxRequestHeadersTotalBytes = (int)reader.Integer("max_request_headers_bytes", defaults.MaxRequestHeadersTotalBytes, 1024, 1 << 24),
            MaxRequestBodyBytes = reader.Integer("max_request_body_bytes", defaults.MaxRequestBodyBytes, 0, 1L << 40),
            RequestHeadTimeout = reader.Duration("request_head_timeout", defaults.RequestHeadTimeout, MinLimitTimeout, MaxLimitTimeout),
            KeepAliveTimeout = reader.Duration("keep_alive_timeout", defaults.KeepAliveTimeout, MinLimitTimeout, MaxLimitTimeout),
            MaxConnections = reader.Has("max_connections") ? reader.Integer("max_connections", 0, 1, 1_000_000) : null,
        };
        reader.ReportUnknownKeys();
        return limits;
    }

    // Keys that belong elsewhere, so a guess at a [headers] key points at the real one.
    private static readonly Dictionary<string, string> HeaderKeyHints = new(StringComparer.Ordinal)
    {
        ["max_header_count"] = "header count is limited by max_request_headers in [limits]",
        ["max_header_bytes"] = "header size is limited by max_request_headers_bytes in [limits]",
        ["reject_underscores"] = "use underscores = \"reject\"",
        ["merge_slashes"] = "path options belong in [paths]",
    };

    private static HeaderPolicy ReadHeaders(SectionReader reader)
    {
        var defaults = new HeaderPolicy();
        var policy = new HeaderPolicy
        {
            Deny = reader.StringList("deny") ?? [],
            Allow = reader.StringList("allow") ?? [],
            Underscores = ReadUnderscores(reader),
            TrimValues = reader.Boolean("trim_values", defaults.TrimValues),
            MergeDuplicates = reader.Boolean("merge_duplicates", defaults.MergeDuplicates),
        };
        foreach (var name in policy.Deny.Concat(policy.Allow))
        {
            if (!HeaderPatterns.IsValid(name))
            {
                reader.Error(reader.Line, $"header pattern \"{name}\" in [headers] is not a valid header name; use letters, digits and '-', optionally ending in '*'");
            }
        }

        reader.ReportUnknownKeys(HeaderKeyHints);
        return policy;
    }

    private static UnderscoreHeaders ReadUnderscores(SectionReader reader)
    {
        var text = reader.String("underscores", "drop");
        switch (text)
        {
            case "drop":
                return UnderscoreHeaders.Drop;
            case "reject":
                return UnderscoreHeaders.Reject;
            case "forward":
                return UnderscoreHeaders.Forward;
            default:
                reader.Error(reader.LineOf("underscores"), $"key 'underscores' in [headers] must be \"drop\", \"reject\" or \"forward\"; got \"{text}\"");
                return UnderscoreHeaders.Drop;
        }
    }

    private static PathNormalization ReadPaths(SectionReader reader)
    {
        var defaults = new PathNormalization();
        var paths = new PathNormalization
        {
            MergeSlashes = reader.Boolean("merge_slashes", defaults.MergeSlashes),
            ResolveDotSegments = reader.Boolean("resolve_dot_segments", defaults.ResolveDotSegments),
            DecodeUnreserved = reader.Boolean("decode_unreserved", defaults.DecodeUnreserved),
        };
        reader.ReportUnknownKeys();
        return paths;
    }

    private static OidcProviderOptions ReadProvider(SectionReader reader)
    {
        var issuer = reader.RequiredString("issuer", "https://login.example.com/");
        var defaults = new OidcProviderOptions { Issuer = issuer, Audience = string.Empty };
        var provider = new OidcProviderOptions
        {
            Issuer = issuer,
            Audience = reader.RequiredString("audience", "api://my-site"),
            MetadataAddress = reader.String("metadata_url"),
            Algorithms = reader.StringList("algorithms") ?? defaults.Algorithms,
            ClockSkew = reader.Duration("clock_skew", defaults.ClockSkew),
            GroupsClaim = reader.String("groups_claim", defaults.GroupsClaim)!,
            AllowHttp = reader.Boolean("allow_http", false),
        };
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var issuerUri))
        {
            reader.Error(reader.LineOf("issuer"), $"key 'issuer' in [[providers]] must be an absolute URL; got \"{issuer}\"");
        }
        else if (issuerUri.Scheme != Uri.UriSchemeHttps && !provider.AllowHttp)
        {
            reader.Error(reader.LineOf("issuer"), $"issuer \"{issuer}\" is not https; use https, or set allow_http = true for a loopback development issuer");
        }

        reader.ReportUnknownKeys();
        return provider;
    }

    private static EdgeRoute? ReadRoute(SectionReader reader, string baseDirectory)
    {
        var prefix = reader.RequiredString("prefix", "/api/");
        var kindText = reader.RequiredString("kind", "public");
        var root = reader.String("root");
        var guest = kindText == "guest" ? GuestRouteReader.Read(reader, prefix, baseDirectory) : null;
        reader.ReportUnknownKeys();
        if (!reader.Has("kind"))
        {
            return null;
        }

        if (!prefix.StartsWith('/'))
        {
            reader.Error(reader.LineOf("prefix"), $"key 'prefix' in [[routes]] must start with '/'; got \"{prefix}\"");
            return null;
        }

        RouteKind? kind = kindText switch
        {
            "static" => RouteKind.Static,
            "public" => RouteKind.Public,
            "protected" => RouteKind.Protected,
            "guest" => RouteKind.Guest,
            _ => null,
        };
        if (kind is null)
        {
            reader.Error(reader.LineOf("kind"), $"key 'kind' in [[routes]] must be \"static\", \"public\", \"protected\" or \"guest\"; got \"{kindText}\"");
            return null;
        }

        string? fullRoot = null;
        if (kind == RouteKind.Static)
        {
            if (root is null)
            {
                reader.Error(reader.Line, $"static route \"{prefix}\" needs key 'root', the folder to serve, for example root = \"static\"");
                return null;
            }

            fullRoot = Path.GetFullPath(root, baseDirectory);
            if (!Directory.Exists(fullRoot))
            {
                reader.Error(reader.LineOf("root"), $"static route \"{prefix}\": folder \"{fullRoot}\" not found; create it or fix 'root'");
            }
        }
        else if (root is not null)
        {
            reader.Error(reader.LineOf("root"), $"key 'root' is only valid on static routes; remove it from route \"{prefix}\"");
        }

        if (kind == RouteKind.Guest && guest is null)
        {
            return null;
        }

        return new EdgeRoute(prefix, kind.Value, fullRoot, reader.Line)
        {
            Guest = guest,
            RuleName = $"route {prefix} (edge.toml:{reader.Line})",
        };
    }

    private static void ValidateRoutes(List<EdgeRoute> routes, List<OidcProviderOptions> providers, string file, List<string> errors)
    {
        foreach (var duplicate in routes.GroupBy(route => route.Prefix).Where(group => group.Count() > 1))
        {
            var second = duplicate.Skip(1).First();
            errors.Add($"{file}:{second.Line}: route prefix \"{duplicate.Key}\" is already defined at line {duplicate.First().Line}; remove one");
        }

        var firstProtected = routes.FirstOrDefault(route => route.RequiresToken);
        if (firstProtected is not null && providers.Count == 0)
        {
            var kind = firstProtected.Kind == RouteKind.Guest ? "guest" : "protected";
            errors.Add($"{file}:{firstProtected.Line}: {kind} route \"{firstProtected.Prefix}\" needs at least one [[providers]] section to validate tokens");
        }
    }
}
