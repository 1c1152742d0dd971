using Gatehouse.Edge.RateLimiting;

namespace Gatehouse.Edge.Configuration;

/// <summary>Reads one <c>[[rate_limits]]</c> section.</summary>
internal static class RateLimitReader
{
    public static RateLimitRule? Read(SectionReader reader)
    {
        var name = reader.RequiredString("name", "per-client");
        var keyText = reader.String("key", "client_ip")!;
        var window = reader.Duration("window", TimeSpan.FromSeconds(10));
        var limit = reader.Integer("limit", 0, 1, 70_000_000);
        var penalty = reader.Duration("penalty", TimeSpan.FromMinutes(1));
        var prefix = reader.String("prefix");
        if (!reader.Has("limit"))
        {
            reader.Error(reader.Line, $"rate limit \"{name}\" is missing key 'limit', the allowed requests per second; add limit = 10");
        }

        reader.ReportUnknownKeys();
        var ok = limit > 0;

        (RateLimitKeyKind Kind, string? Header)? key = keyText switch
        {
            "client_ip" => (RateLimitKeyKind.ClientIp, null),
            "subject" => (RateLimitKeyKind.Subject, null),
            _ when keyText.StartsWith("header:", StringComparison.Ordinal) && HeaderPatterns.IsValid(keyText[7..]) && !keyText.EndsWith('*')
                => (RateLimitKeyKind.Header, keyText[7..]),
            _ => null,
        };
        if (key is null)
        {
            reader.Error(reader.LineOf("key"), $"key 'key' in rate limit \"{name}\" must be \"client_ip\", \"subject\" or \"header:NAME\"; got \"{keyText}\"");
            ok = false;
        }

        if (window != TimeSpan.FromSeconds(1) && window != TimeSpan.FromSeconds(10) && window != TimeSpan.FromSeconds(60))
        {
            reader.Error(reader.LineOf("window"), $"key 'window' in rate limit \"{name}\" must be \"1s\", \"10s\" or \"60s\", the windows rate counters keep");
            ok = false;
        }

        if (penalty < TimeSpan.FromMinutes(1) || penalty > TimeSpan.FromMinutes(60))
        {
            reader.Error(reader.LineOf("penalty"), $"key 'penalty' in rate limit \"{name}\" must be from \"1m\" to \"60m\"; the penalty box keeps whole minutes");
            ok = false;
        }

        if (prefix is not null && !prefix.StartsWith('/'))
        {
            reader.Error(reader.LineOf("prefix"), $"key 'prefix' in rate limit \"{name}\" must start with '/'; got \"{prefix}\"");
            ok = false;
        }

        return ok
            ? new RateLimitRule(name, key!.Value.Kind, key.Value.Header, (int)window.TotalSeconds, limit, penalty, prefix, reader.Line)
            : null;
    }
}
