namespace Gatehouse.Balancer.Configuration;

/// <summary>Parses `bind ADDRESS[,ADDRESS...] [ssl crt FILE ...]`; the TLS options are read by <see cref="Tls.BindTlsParser"/>.</summary>
internal static class BindLineParser
{
    public static void Parse(ConfigLine line, ProxySection section, ConfigErrors errors)
    {
        if (line.Count < 2)
        {
            errors.Add(line.Location, "'bind' expects an address, such as 'bind 127.0.0.1:8080' or 'bind :80'");
            return;
        }

        var problems = new List<string>();
        var tls = Tls.BindTlsParser.Parse(line, section.BaseDirectory, problems);
        foreach (var problem in problems)
        {
            errors.Add(line.Location, $"'bind' {problem}");
        }

        if (problems.Count > 0)
        {
            return;
        }

        foreach (var address in line[1].Split(','))
        {
            if (AddressParser.TryParseHostPort(address, requireHost: false, out var host, out var port, out var problem))
            {
                section.Frontend!.BindList.Add(new BindAddress(host, port, line.Location) { Tls = tls });
            }
            else
            {
                errors.Add(line.Location, $"'bind' {problem}");
            }
        }
    }
}
