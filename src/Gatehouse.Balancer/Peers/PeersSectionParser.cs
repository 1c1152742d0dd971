using Gatehouse.Balancer.Configuration;
using Gatehouse.Signals.Redis;

namespace Gatehouse.Balancer.Peers;

/// <summary>
/// Parses the lines of one `peers NAME` section: HAProxy's `peer`, `server`, `bind`, `default-bind`,
/// `default-server`, `disabled` and `enable`, plus Gatehouse's
/// `gatehouse-redis HOST:PORT[,HOST:PORT...] [key-prefix PREFIX] [user NAME] [password-env VARIABLE]`.
/// </summary>
internal sealed class PeersSectionParser(PeersSection section, ConfigErrors errors, Func<string, string?> environment)
{
    private static readonly string[] Keywords =
        ["peer", "server", "bind", "default-bind", "default-server", "disabled", "enable", "gatehouse-redis"];

    private static readonly HashSet<string> NotSupported = new(StringComparer.Ordinal) { "log", "shards", "table" };

    public PeersSection Section => section;

    public void Parse(ConfigLine line)
    {
        switch (line.Keyword)
        {
            case "peer":
                ParsePeer(line, addressRequired: true);
                break;
            case "server":
                ParsePeer(line, addressRequired: false);
                break;
            case "bind":
                ParseBind(line);
                break;
            case "default-bind" or "default-server":
                // Connection options of the HAProxy peer protocol, which Gatehouse does not speak.
                break;
            case "disabled":
                section.Disabled = true;
                break;
            case "enable":
                section.Disabled = false;
                break;
            case "gatehouse-redis":
                ParseRedis(line);
                break;
            case var keyword when NotSupported.Contains(keyword):
                errors.Add(line.Location, $"'{keyword}' is not supported yet in a 'peers' section");
                break;
            default:
                var hint = Suggestions.DidYouMean(line.Keyword, Keywords);
                errors.Add(line.Location, $"unknown keyword '{line.Keyword}' in 'peers' section '{section.Name}'; expected peer, server, bind, disabled or gatehouse-redis{hint}");
                break;
        }
    }

    private void ParsePeer(ConfigLine line, bool addressRequired)
    {
        var keyword = line.Keyword;
        if (line.Count < 2 || (addressRequired && line.Count < 3))
        {
            var usage = addressRequired ? "'peer NAME ADDRESS:PORT', such as 'peer lb1 10.0.0.1:10000'" : "'server NAME [ADDRESS:PORT]'";
            errors.Add(line.Location, $"'{keyword}' expects {usage}");
            return;
        }

        string? address = null;
        if (line.Count >= 3)
        {
            address = line[2];
            if (!AddressParser.TryParseHostPort(address, requireHost: true, out _, out var port, out var problem) || port == 0)
            {
                var reason = problem.Length > 0 ? problem : $"expects a port from 1 to 65535 in '{address}'";
                errors.Add(line.Location, $"'{keyword} {line[1]}' {reason}");
                return;
            }
        }

        if (!section.TryAddPeer(line[1], address))
        {
            errors.Add(line.Location, $"'{keyword}': peer '{line[1]}' is already defined in peers section '{section.Name}'; give each peer its own name");
        }
    }

    private void ParseBind(ConfigLine line)
    {
        if (line.Count < 2)
        {
            errors.Add(line.Location, "'bind' in a 'peers' section expects ADDRESS:PORT, such as 'bind :10000'");
        }
        else if (!AddressParser.TryParseHostPort(line[1], requireHost: false, out _, out _, out var problem))
        {
            errors.Add(line.Location, $"'bind' in a 'peers' section {problem}");
        }
    }

    private void ParseRedis(ConfigLine line)
    {
        if (section.RedisLocation is { } first)
        {
            errors.Add(line.Location, $"'gatehouse-redis': peers section '{section.Name}' already names a Redis at {first}; keep one line");
            return;
        }

        section.RedisLocation = line.Location;
        if (line.Count < 2)
        {
            errors.Add(line.Location, "'gatehouse-redis' expects HOST:PORT[,HOST:PORT...], such as 'gatehouse-redis 127.0.0.1:6379'");
            return;
        }

        var endpoints = line[1].Split(',', StringSplitOptions.TrimEntries);
        var options = ParseRedisOptions(line);
        if (options is null)
        {
            return;
        }

        var redis = new RedisOptions
        {
            Endpoints = endpoints,
            KeyPrefix = options.Value.Prefix ?? "gatehouse:",
            User = options.Value.User,
            Password = options.Value.Password,
        };
        var problems = redis.Validate();
        foreach (var problem in problems)
        {
            errors.Add(line.Location, $"'gatehouse-redis': {problem}");
        }

        section.Redis = problems.Count == 0 ? redis : null;
    }

    private (string? Prefix, string? User, string? Password)? ParseRedisOptions(ConfigLine line)
    {
        string? prefix = null;
        string? user = null;
        string? password = null;
        var valid = true;
        for (var i = 2; i < line.Count; i += 2)
        {
            var option = line[i];
            var value = i + 1 < line.Count ? line[i + 1] : null;
            if (value is null)
            {
                errors.Add(line.Location, $"'gatehouse-redis {option}' expects a value");
                return null;
            }

            switch (option)
            {
                case "key-prefix":
                    prefix = value;
                    break;
                case "user":
                    user = value;
                    break;
                case "password-env":
                    password = environment(value);
                    if (string.IsNullOrEmpty(password))
                    {
                        errors.Add(line.Location, $"'gatehouse-redis password-env': environment variable '{value}' is not set or empty; set it to the Redis password or remove the option");
                        valid = false;
                    }

                    break;
                default:
                    var hint = Suggestions.DidYouMean(option, ["key-prefix", "user", "password-env"]);
                    errors.Add(line.Location, $"'gatehouse-redis': unknown option '{option}'; expected key-prefix, user or password-env{hint}");
                    valid = false;
                    break;
            }
        }

        return valid ? (prefix, user, password) : null;
    }
}
