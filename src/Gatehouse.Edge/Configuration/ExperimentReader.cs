using Gatehouse.Edge.Experiments;

namespace Gatehouse.Edge.Configuration;

/// <summary>Reads one <c>[[experiments]]</c> section: name, optional prefix, stickiness and weighted variants.</summary>
internal static class ExperimentReader
{
    /// <summary>Most variants one experiment may have.</summary>
    public const int MaxVariants = 32;

    public static Experiment? Read(SectionReader reader)
    {
        var name = reader.RequiredString("name", "checkout");
        var prefix = reader.String("prefix");
        var stickyText = reader.String("sticky", "subject")!;
        var variants = ReadVariants(reader, name);
        reader.ReportUnknownKeys();

        Stickiness? sticky = stickyText switch
        {
            "subject" => Stickiness.Subject,
            "cookie" => Stickiness.Cookie,
            _ => null,
        };
        if (sticky is null)
        {
            reader.Error(reader.LineOf("sticky"), $"key 'sticky' in experiment \"{name}\" must be \"subject\" or \"cookie\"; got \"{stickyText}\"");
        }

        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            reader.Error(reader.LineOf("name"), $"experiment name \"{name}\" must be letters, digits, '-' or '_'");
        }

        if (prefix is not null && !prefix.StartsWith('/'))
        {
            reader.Error(reader.LineOf("prefix"), $"key 'prefix' in experiment \"{name}\" must start with '/'; got \"{prefix}\"");
        }

        return sticky is null || variants is null ? null : new Experiment(name, prefix, sticky.Value, variants);
    }

    private static List<Variant>? ReadVariants(SectionReader reader, string experiment)
    {
        var line = reader.LineOf("variants");
        var items = reader.TableList("variants");
        if (items is null || items.Count < 2 || items.Count > MaxVariants)
        {
            reader.Error(line, $"experiment \"{experiment}\" needs 'variants' with 2 to {MaxVariants} entries, for example variants = [{{ name = \"control\", weight = 50 }}, {{ name = \"new\", weight = 50 }}]");
            return null;
        }

        var variants = new List<Variant>();
        foreach (var item in items)
        {
            if (item.GetValueOrDefault("name") is not string name || name.Length == 0 || name.Contains(';') || name.Contains('='))
            {
                reader.Error(line, $"every variant of experiment \"{experiment}\" needs a 'name' without ';' or '='");
                return null;
            }

            if (item.GetValueOrDefault("weight") is not long weight || weight < 1 || weight > 1_000_000)
            {
                reader.Error(line, $"variant \"{name}\" of experiment \"{experiment}\" needs an integer 'weight' from 1 to 1000000");
                return null;
            }

            if (item.Keys.FirstOrDefault(key => key is not ("name" or "weight")) is { } unknown)
            {
                reader.Error(line, $"unknown key '{unknown}' in variant \"{name}\" of experiment \"{experiment}\"; expected name and weight");
                return null;
            }

            variants.Add(new Variant(name, (int)weight));
        }

        if (variants.Select(v => v.Name).Distinct().Count() != variants.Count)
        {
            reader.Error(line, $"experiment \"{experiment}\" has two variants with the same name");
            return null;
        }

        return variants;
    }
}
