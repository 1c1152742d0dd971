using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.StickTables;

namespace Gatehouse.Balancer.Peers;

/// <summary>Collects the `peers` sections of a configuration and resolves each `stick-table ... peers NAME`.</summary>
internal sealed class PeersRegistry(ConfigErrors errors)
{
    private readonly Dictionary<string, PeersSection> _sections = new(StringComparer.Ordinal);

    /// <summary>Reads environment variables named by `password-env`; tests replace it.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Starts a `peers NAME` section and returns the parser for its lines, or null when the line is invalid.</summary>
    public PeersSectionParser? Start(ConfigLine line)
    {
        if (line.Count != 2)
        {
            errors.Add(line.Location, "'peers' expects one name, such as 'peers mypeers'");
            return null;
        }

        if (_sections.TryGetValue(line[1], out var existing))
        {
            errors.Add(line.Location, $"peers section '{line[1]}' is already defined at {existing.Location}; give each section its own name");
            return null;
        }

        var section = new PeersSection(line[1], line.Location);
        _sections[section.Name] = section;
        return new PeersSectionParser(section, errors, Environment);
    }

    public IReadOnlyDictionary<string, PeersSection> Sections => _sections;

    /// <summary>
    /// Returns the tables with <see cref="StickTableDefinition.Sharing"/> set from their `peers` option, and reports
    /// each option that names no section.
    /// </summary>
    public List<StickTableDefinition> Resolve(IReadOnlyList<StickTableDefinition> tables)
    {
        var resolved = new List<StickTableDefinition>(tables.Count);
        foreach (var table in tables)
        {
            if (table.Peers is not { } name)
            {
                resolved.Add(table);
                continue;
            }

            if (!_sections.TryGetValue(name, out var section))
            {
                var hint = Suggestions.DidYouMean(name, _sections.Keys);
                errors.Add(table.Location, $"'stick-table peers': peers section '{name}' is not defined; add a 'peers {name}' section or remove the option{hint}");
                resolved.Add(table);
                continue;
            }

            resolved.Add(section.Shares ? table with { Sharing = section } : table);
        }

        return resolved;
    }
}
