using Gatehouse.Balancer.Acls;

namespace Gatehouse.Balancer.Configuration;

/// <summary>Parses `option forwardfor [except NETWORK] [header NAME] [if-none]`.</summary>
internal static class ForwardForParser
{
    public static ForwardForOption? Parse(ConfigLine line, ConfigErrors errors)
    {
        var header = ForwardForOption.DefaultHeaderName;
        System.Net.IPNetwork? except = null;
        var ifNone = false;
        for (var i = 2; i < line.Count; i++)
        {
            var word = line[i];
            if (word == "if-none")
            {
                ifNone = true;
                continue;
            }

            if (word is not ("except" or "header") || i + 1 >= line.Count)
            {
                errors.Add(line.Location, word is "except" or "header"
                    ? $"'option forwardfor {word}' expects a value after it"
                    : $"'option forwardfor' expects 'except NETWORK', 'header NAME' or 'if-none', got '{word}'");
                return null;
            }

            var value = line[++i];
            if (word == "header")
            {
                header = value;
            }
            else if (AddressMatcher.TryParseNetwork(value, out var network))
            {
                except = network;
            }
            else
            {
                errors.Add(line.Location, $"'option forwardfor except' expects an address or CIDR network such as 10.0.0.0/8, got '{value}'");
                return null;
            }
        }

        return new ForwardForOption(header, except, ifNone);
    }
}
