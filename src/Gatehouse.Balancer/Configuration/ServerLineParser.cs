using System.Globalization;

namespace Gatehouse.Balancer.Configuration;

/// <summary>Parses `server NAME ADDRESS:PORT [weight N] [maxconn N] [backup] [disabled]`.</summary>
internal sealed class ServerLineParser
{
    private readonly ConfigErrors _errors;

    public ServerLineParser(ConfigErrors errors)
    {
        _errors = errors;
    }

    public void Parse(ConfigLine line, BackendConfig backend)
    {
        if (line.Count < 3)
        {
            _errors.Add(line.Location, "'server' expects a name and an address, such as 'server web1 10.0.0.1:8080'");
            return;
        }

        var name = line[1];
        if (!AddressParser.TryParseHostPort(line[2], requireHost: true, out var host, out var port, out var problem))
        {
            _errors.Add(line.Location, $"'server {name}' {problem}");
            return;
        }

        if (port == 0)
        {
            _errors.Add(line.Location, $"'server {name}' expects a port from 1 to 65535 in '{line[2]}'");
            return;
        }

        var weight = 1;
        int? maxConnections = null;
        var backup = false;
        var disabled = false;
        for (var i = 3; i < line.Count; i++)
        {
            var option = line[i];
            switch (option)
            {
                case "backup":
                    backup = true;
                    break;
                case "disabled":
                    disabled = true;
                    break;
                case "weight" or "maxconn":
                    var max = option == "weight" ? 256 : int.MaxValue;
                    var min = option == "weight" ? 0 : 1;
                    if (i + 1 >= line.Count
                        || !int.TryParse(line[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                        || number < min || number > max)
                    {
                        var range = option == "weight" ? "from 0 to 256" : "greater than 0";
                        var given = i + 1 < line.Count ? line[i + 1] : "nothing";
                        _errors.Add(line.Location, $"'server {name}' option '{option}' expects an integer {range}, got '{given}'");
                        return;
                    }

                    i++;
                    weight = option == "weight" ? number : weight;
                    maxConnections = option == "maxconn" ? number : maxConnections;
                    break;
                default:
                    _errors.Add(line.Location, KeywordCatalog.NotSupportedServerOptions.Contains(option)
                        ? $"'server {name}' option '{option}' is not supported yet"
                        : $"'server {name}' has unknown option '{option}'; expected weight, maxconn, backup or disabled"
                          + Suggestions.DidYouMean(option, KeywordCatalog.ServerOptions));
                    return;
            }
        }

        var duplicate = backend.ServerList.FirstOrDefault(server => server.Name == name);
        if (duplicate is not null)
        {
            _errors.Add(line.Location, $"'server' name '{name}' is already used in backend '{backend.Name}' at {duplicate.Location}; server names must be unique");
            return;
        }

        backend.ServerList.Add(new ServerConfig(name, host!, port, weight, maxConnections, backup, disabled, line.Location));
    }
}
