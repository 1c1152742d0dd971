namespace Gatehouse.Balancer.Configuration;

/// <summary>Loads haproxy.cfg-style configuration for the balancer.</summary>
public static class BalancerConfigLoader
{
    /// <summary>
    /// Reads the files in order, as HAProxy does with several -f options: defaults carry over from one file
    /// to the next, and references are checked across all of them.
    /// </summary>
    /// <param name="variables">Values for $NAME in double quotes; null reads the process environment.</param>
    /// <exception cref="ConfigException">Any file is missing or invalid; lists every problem found.</exception>
    public static BalancerConfig Load(IReadOnlyList<string> paths, IReadOnlyDictionary<string, string>? variables = null)
    {
        var parser = new ConfigParser(variables);
        var missing = new List<string>();
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                missing.Add($"{path}: configuration file not found (looked for {Path.GetFullPath(path)})");
                continue;
            }

            parser.ParseFile(File.ReadAllText(path), path);
        }

        if (missing.Count > 0)
        {
            throw new ConfigException(missing);
        }

        return parser.Finish();
    }

    /// <summary>Parses one configuration text; <paramref name="fileName"/> prefixes messages and anchors relative -f paths.</summary>
    /// <exception cref="ConfigException">The text is invalid; lists every problem found.</exception>
    public static BalancerConfig Parse(string text, string fileName, IReadOnlyDictionary<string, string>? variables = null)
    {
        var parser = new ConfigParser(variables);
        parser.ParseFile(text, fileName);
        return parser.Finish();
    }
}
