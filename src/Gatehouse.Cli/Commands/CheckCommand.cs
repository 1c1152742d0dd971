using System.CommandLine;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Edge.Configuration;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse check</c>: validates configuration files without starting anything, like <c>haproxy -c</c>.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var files = new Option<string[]>("-f") { Description = "haproxy.cfg file(s) to validate.", AllowMultipleArgumentsPerToken = false };
        var edge = new Option<string?>("--edge") { Description = "edge.toml file to validate." };
        var command = new Command("check", "Validate haproxy.cfg and edge.toml files and report every problem with file:line.")
        {
            files, edge,
        };
        command.SetAction(result => Run(result.GetValue(files) ?? [], result.GetValue(edge)));
        return command;
    }

    private static int Run(string[] files, string? edge)
    {
        if (files.Length == 0 && edge is null)
        {
            Console.Error.WriteLine("nothing to check; pass -f haproxy.cfg and/or --edge edge.toml");
            return 2;
        }

        var failed = false;
        if (files.Length > 0)
        {
            failed |= !Report(string.Join(", ", files), () => BalancerConfigLoader.Load(files));
        }

        if (edge is not null)
        {
            failed |= !Report(edge, () => EdgeConfigLoader.Load(edge));
        }

        return failed ? 1 : 0;
    }

    private static bool Report(string what, Action load)
    {
        try
        {
            load();
            Console.WriteLine($"{what}: configuration is valid");
            return true;
        }
        catch (Exception exception) when (exception is ConfigException or EdgeConfigException)
        {
            Console.Error.WriteLine(exception.Message);
            return false;
        }
    }
}
