using Gatehouse.Balancer.StickTables;

namespace Gatehouse.Balancer.Configuration;

/// <summary>Collects the declared stick tables and checks that every `table NAME` argument names one of them.</summary>
internal static class StickTableChecks
{
    public static List<StickTableDefinition> Collect(
        IReadOnlyList<FrontendConfig> frontends, IReadOnlyList<BackendConfig> backends,
        IReadOnlyList<(ConfigLocation Location, string Table)> references, ConfigErrors errors)
    {
        var tables = new Dictionary<string, StickTableDefinition>(StringComparer.Ordinal);
        var declared = frontends.Select(frontend => frontend.StickTable).Concat(backends.Select(backend => backend.StickTable));
        foreach (var definition in declared.OfType<StickTableDefinition>().OrderBy(definition => definition.Location.Line))
        {
            if (!tables.TryGetValue(definition.Name, out var first))
            {
                tables.Add(definition.Name, definition);
            }
            else if (!ReferenceEquals(first, definition))
            {
                // A frontend and a backend may share a name, but the table name would then be ambiguous.
                errors.Add(definition.Location, $"'stick-table': a table named '{definition.Name}' is already declared at {first.Location}; rename one of the two sections");
            }
        }

        foreach (var (location, table) in references)
        {
            if (!tables.ContainsKey(table))
            {
                var hint = Suggestions.DidYouMean(table, tables.Keys);
                errors.Add(location, $"stick table '{table}' is not declared; add a 'stick-table' line to the frontend, backend or listen section named '{table}'{hint}");
            }
        }

        StoreServerIds(frontends, backends, tables, errors);
        foreach (var frontend in frontends)
        {
            CheckDefaultTable("frontend", frontend.Name, frontend.StickTable, frontend.RequestRules, errors);
        }

        foreach (var backend in backends)
        {
            CheckDefaultTable("backend", backend.Name, backend.StickTable, backend.RequestRules, errors);
        }

        return [.. tables.Values];
    }

    /// <summary>Reports `track-sc` rules without `table` in a section that declares no table, as HAProxy rejects them.</summary>
    private static void CheckDefaultTable(
        string kind, string name, StickTableDefinition? table, IEnumerable<Rules.HttpRequestRule> rules, ConfigErrors errors)
    {
        if (table is not null)
        {
            return;
        }

        foreach (var rule in rules.OfType<TrackCounterRule>().Where(rule => rule.TableName is null))
        {
            errors.Add(rule.Location, $"'{rule.Keyword}': {kind} '{name}' has no stick-table; add one to it or name a table with 'table NAME'");
        }
    }

    /// <summary>
    /// Adds server_id to every table a `stick` line uses, as HAProxy does, because persistence stores the
    /// server there whether or not the `store` list names it.
    /// </summary>
    private static void StoreServerIds(
        IReadOnlyList<FrontendConfig> frontends, IReadOnlyList<BackendConfig> backends, Dictionary<string, StickTableDefinition> tables, ConfigErrors errors)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var backend in backends)
        {
            foreach (var rule in backend.StickRules)
            {
                var name = rule.TableName ?? backend.Name;
                if (rule.TableName is null && backend.StickTable is null)
                {
                    errors.Add(rule.Location, $"'stick' needs a stick table, but backend '{backend.Name}' declares none; add a 'stick-table' line or 'table NAME'");
                }

                used.Add(name);
            }
        }

        foreach (var name in used)
        {
            if (!tables.TryGetValue(name, out var old) || old.Stored.Any(stored => stored.Type == StickDataType.ServerId))
            {
                continue;
            }

            var updated = old with { Stored = [new StickStoredType(StickDataType.ServerId, 0), .. old.Stored] };
            tables[name] = updated;
            foreach (var frontend in frontends.Where(frontend => ReferenceEquals(frontend.StickTable, old)))
            {
                frontend.StickTable = updated;
            }

            foreach (var backend in backends.Where(backend => ReferenceEquals(backend.StickTable, old)))
            {
                backend.StickTable = updated;
            }
        }
    }
}
