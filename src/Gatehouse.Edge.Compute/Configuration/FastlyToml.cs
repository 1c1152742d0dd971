using System.Text.Json;
using Gatehouse.Edge.Compute.Runtime;
using Tomlyn;
using Tomlyn.Model;

namespace Gatehouse.Edge.Compute.Configuration;

/// <summary>Problems found in a fastly.toml, each naming file, line where known, key and what was expected.</summary>
public sealed class FastlyTomlException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// Reads the <c>[local_server]</c> table of a Compute package's fastly.toml into a <see cref="GuestEnvironment"/>:
/// backends (<c>url</c>, <c>override_host</c>), config stores and dictionaries (inline <c>contents</c> or a
/// JSON <c>file</c>), secret stores and KV stores (entries with <c>data</c>, <c>file</c> or <c>env</c>).
/// All problems are collected before one <see cref="FastlyTomlException"/> is thrown.
/// </summary>
public static class FastlyToml
{
    public static GuestEnvironment Load(string path)
    {
        var text = File.ReadAllText(path);
        var errors = new List<string>();
        var environment = new GuestEnvironment();
        var document = Tomlyn.Parsing.SyntaxParser.Parse(text, path, true);
        foreach (var diagnostic in document.Diagnostics)
        {
            errors.Add($"{path}:{diagnostic.Span.Start.Line + 1}: {diagnostic.Message}");
        }

        if (errors.Count == 0 && TomlSerializer.Deserialize<TomlTable>(text) is TomlTable root
            && root.TryGetValue("local_server", out var local) && local is TomlTable server)
        {
            var reader = new Reader(path, text, Path.GetDirectoryName(Path.GetFullPath(path))!, errors);
            reader.ReadBackends(server, environment);
            reader.ReadConfigStores(server, "config_stores", environment);
            reader.ReadConfigStores(server, "dictionaries", environment);
            reader.ReadEntryStores(server, "secret_stores", environment);
            reader.ReadEntryStores(server, "kv_stores", environment);
        }

        if (errors.Count > 0)
        {
            throw new FastlyTomlException(errors);
        }

        return environment;
    }

    private sealed class Reader(string path, string text, string directory, List<string> errors)
    {
        public void ReadBackends(TomlTable server, GuestEnvironment environment)
        {
            foreach (var (name, table) in Tables(server, "backends"))
            {
                var url = String(table, $"local_server.backends.{name}", "url", required: true);
                if (url is null)
                {
                    continue;
                }

                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    Error($"local_server.backends.{name}", "url", $"expected an absolute http or https URL, found '{url}'");
                    continue;
                }

                environment.Backends[name] = new GuestBackend(name, uri)
                {
                    OverrideHost = String(table, $"local_server.backends.{name}", "override_host", required: false),
                };
            }
        }

        public void ReadConfigStores(TomlTable server, string kind, GuestEnvironment environment)
        {
            foreach (var (name, table) in Tables(server, kind))
            {
                var where = $"local_server.{kind}.{name}";
                var format = String(table, where, "format", required: false) ?? "inline-toml";
                if (format == "inline-toml")
                {
                    if (table.TryGetValue("contents", out var contents) && contents is TomlTable values)
                    {
                        environment.ConfigStores[name] = values.ToDictionary(v => v.Key, v => v.Value?.ToString() ?? "");
                    }
                    else
                    {
                        Error(where, "contents", "expected a table of string values for format \"inline-toml\"");
                    }
                }
                else if (format == "json")
                {
                    var values = ReadJsonFile(where, String(table, where, "file", required: true));
                    if (values is not null)
                    {
                        environment.ConfigStores[name] = values;
                    }
                }
                else
                {
                    Error(where, "format", $"expected \"inline-toml\" or \"json\", found \"{format}\"");
                }
            }
        }

        public void ReadEntryStores(TomlTable server, string kind, GuestEnvironment environment)
        {
            if (!server.TryGetValue(kind, out var section) || section is not TomlTable stores)
            {
                return;
            }

            foreach (var (name, value) in stores)
            {
                var where = $"local_server.{kind}.{name}";
                var entries = value switch
                {
                    TomlTableArray array => ReadEntries(where, array),
                    TomlTable { } table when table.ContainsKey("file") => ReadJsonFile(where, String(table, where, "file", required: true)),
                    _ => Invalid(where),
                };
                if (entries is null)
                {
                    continue;
                }

                if (kind == "secret_stores")
                {
                    environment.SecretStores[name] = entries;
                }
                else
                {
                    var store = new KvStore();
                    foreach (var (key, data) in entries)
                    {
                        store.Put(key, System.Text.Encoding.UTF8.GetBytes(data));
                    }

                    environment.KvStores[name] = store;
                }
            }
        }

        private Dictionary<string, string>? Invalid(string where)
        {
            Error(where, "", "expected an array of tables ([[...]] with key and data, file or env) or a table with file and format = \"json\"");
            return null;
        }

        private Dictionary<string, string> ReadEntries(string where, TomlTableArray array)
        {
            var entries = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in array)
            {
                var key = String(entry, where, "key", required: true);
                string? data = null;
                if (entry.ContainsKey("data"))
                {
                    data = String(entry, where, "data", required: true);
                }
                else if (entry.ContainsKey("file") || entry.ContainsKey("path"))
                {
                    var file = String(entry, where, entry.ContainsKey("file") ? "file" : "path", required: true);
                    data = file is null ? null : ReadFile(where, file);
                }
                else if (entry.ContainsKey("env"))
                {
                    var variable = String(entry, where, "env", required: true);
                    data = variable is null ? null : System.Environment.GetEnvironmentVariable(variable);
                    if (variable is not null && data is null)
                    {
                        Error(where, "env", $"environment variable {variable} is not set");
                    }
                }
                else
                {
                    Error(where, "data", $"entry '{key}' needs one of data, file or env");
                }

                if (key is not null && data is not null)
                {
                    entries[key] = data;
                }
            }

            return entries;
        }

        private Dictionary<string, string>? ReadJsonFile(string where, string? file)
        {
            var content = file is null ? null : ReadFile(where, file);
            if (content is null)
            {
                return null;
            }

            try
            {
                using var json = JsonDocument.Parse(content);
                return json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p =>
                    p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
            }
            catch (Exception exception) when (exception is JsonException or InvalidOperationException)
            {
                Error(where, "file", $"expected a JSON object of string values in {file}: {exception.Message}");
                return null;
            }
        }

        private string? ReadFile(string where, string file)
        {
            var full = Path.Combine(directory, file);
            if (File.Exists(full))
            {
                return File.ReadAllText(full);
            }

            Error(where, "file", $"file {full} not found");
            return null;
        }

        private IEnumerable<(string Name, TomlTable Table)> Tables(TomlTable server, string kind)
        {
            if (!server.TryGetValue(kind, out var section))
            {
                yield break;
            }

            if (section is not TomlTable tables)
            {
                Error("local_server", kind, "expected a table");
                yield break;
            }

            foreach (var (name, value) in tables)
            {
                if (value is TomlTable table)
                {
                    yield return (name, table);
                }
                else
                {
                    Error($"local_server.{kind}", name, "expected a table");
                }
            }
        }

        private string? String(TomlTable table, string where, string key, bool required)
        {
            if (!table.TryGetValue(key, out var value))
            {
                if (required)
                {
                    Error(where, key, "missing; expected a string");
                }

                return null;
            }

            if (value is string text)
            {
                return text;
            }

            Error(where, key, $"expected a string, found {value?.GetType().Name ?? "nothing"}");
            return null;
        }

        private void Error(string where, string key, string message)
        {
            var line = LineOf(where);
            var location = line > 0 ? $"{path}:{line}" : path;
            errors.Add(key.Length > 0 ? $"{location}: [{where}] key '{key}': {message}" : $"{location}: [{where}]: {message}");
        }

        // Tomlyn's model drops positions, so the table header is located in the text for the line number.
        private int LineOf(string where)
        {
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var trimmed = lines[i].Trim();
                if (trimmed == $"[{where}]" || trimmed == $"[[{where}]]")
                {
                    return i + 1;
                }
            }

            return 0;
        }
    }
}
