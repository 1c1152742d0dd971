using Gatehouse.Signals.Redis;

namespace Gatehouse.Edge.Configuration;

/// <summary>Reads the <c>[redis]</c> section and the <c>store</c> key of <c>[keys]</c>.</summary>
internal static class RedisReader
{
    public static RedisOptions Read(SectionReader reader)
    {
        var defaults = new RedisOptions();
        var options = new RedisOptions
        {
            Endpoints = reader.StringList("endpoints") ?? defaults.Endpoints,
            User = reader.String("user"),
            Password = EmptyAsNull(reader.String("password")),
            Database = (int)reader.Integer("database", 0, 0, 1000),
            KeyPrefix = reader.String("key_prefix", defaults.KeyPrefix)!,
            ConnectTimeout = reader.Duration("connect_timeout", defaults.ConnectTimeout),
            OperationTimeout = reader.Duration("operation_timeout", defaults.OperationTimeout),
        };
        foreach (var problem in options.Validate())
        {
            reader.Error(LineOfProblem(reader, problem), $"[redis]: {problem} Fix the value, for example endpoints = [\"127.0.0.1:6379\"].");
        }

        if (options.KeyPrefix.Length == 0)
        {
            reader.Error(reader.LineOf("key_prefix"), "key 'key_prefix' in [redis] must not be empty; the default is \"gatehouse:\"");
        }

        reader.ReportUnknownKeys();
        return options;
    }

    public static KeyStoreKind ReadKeyStore(SectionReader keys, bool hasRedis)
    {
        var text = keys.String("store", "directory");
        switch (text)
        {
            case "directory":
                return KeyStoreKind.Directory;
            case "redis" when hasRedis:
                if (keys.Has("directory"))
                {
                    keys.Error(keys.LineOf("directory"), "key 'directory' in [keys] does not apply with store = \"redis\"; remove one of them");
                }

                return KeyStoreKind.Redis;
            case "redis":
                keys.Error(keys.LineOf("store"), "key 'store' in [keys] is \"redis\" but edge.toml has no [redis] section; add one with endpoints = [\"127.0.0.1:6379\"]");
                return KeyStoreKind.Directory;
            default:
                keys.Error(keys.LineOf("store"), $"key 'store' in [keys] must be \"directory\" or \"redis\"; got \"{text}\"");
                return KeyStoreKind.Directory;
        }
    }

    // ${REDIS_PASSWORD-} expands to an empty string when the variable is unset, which means no password.
    private static string? EmptyAsNull(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static int LineOfProblem(SectionReader reader, string problem) =>
        problem.StartsWith("redis endpoints", StringComparison.Ordinal) ? reader.LineOf("endpoints")
        : problem.StartsWith("redis database", StringComparison.Ordinal) ? reader.LineOf("database")
        : reader.LineOf("connect_timeout");
}
